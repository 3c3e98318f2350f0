// Package sqlq builds the filtered listing queries that both SQL store
// backends (internal/sqlite and internal/pg) send. The two dialects agree on
// everything used here — $N placeholders, row-value comparison and IN lists —
// so the filter semantics are written once and cannot drift apart.
package sqlq

import (
	"fmt"
	"strings"

	"github.com/testigo-project/testigo"
)

// Incidents returns the query selecting cols from the incidents table for f,
// with its arguments. The order is the listing order: date, newest first
// with undated incidents last (their date is ”, which sorts lowest), then
// ID descending; it matches the incidents_listing index.
func Incidents(cols string, f testigo.IncidentFilter) (string, []any) {
	var b builder
	if !f.IncludeMerged {
		b.where(`merged_into = 0`)
	}
	if f.Country != "" {
		b.where(`country = ` + b.arg(f.Country))
	}
	b.in("country", f.Countries)
	b.in("admin1", f.Admin1s)
	if f.Admin2 != "" {
		b.where(`admin2 = ` + b.arg(f.Admin2))
	}
	if f.Type != "" {
		b.where(`type = ` + b.arg(string(f.Type)))
	}
	if f.Types != nil {
		ts := make([]string, len(f.Types))
		for i, t := range f.Types {
			ts[i] = string(t)
		}
		// A block by place is read through the place index: the type is
		// then compared as an expression, which no index serves, since
		// without statistics SQLite would otherwise read the (type, date)
		// index across every country. A block of types alone (strikes at
		// sea anywhere) uses that index.
		col := "type"
		if f.Countries != nil || f.Country != "" {
			col = "(type || '')"
		}
		b.in(col, ts)
	}
	if f.Review != "" {
		b.where(`review = ` + b.arg(string(f.Review)))
	}
	if f.Assignee != "" {
		// The first term lets the planner use the partial index on
		// assigned incidents, which it cannot prove from a parameter.
		b.where(`assignee <> '' AND assignee = ` + b.arg(f.Assignee))
	}
	if f.Since != "" {
		b.where(`date <> '' AND date >= ` + b.arg(f.Since))
	}
	if f.Until != "" {
		b.where(`date <> '' AND date <= ` + b.arg(f.Until))
	}
	if c := f.After; c != nil {
		// The empty date sorts below every date, so this also continues
		// correctly from an undated incident.
		b.where(`(date, id) < (` + b.arg(c.Date) + `, ` + b.arg(int64(c.ID)) + `)`)
	}
	q := `SELECT ` + cols + ` FROM incidents`
	if len(b.conds) > 0 {
		q += ` WHERE ` + strings.Join(b.conds, ` AND `)
	}
	q += ` ORDER BY date DESC, id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	return q, b.args
}

// builder collects conditions and their numbered arguments.
type builder struct {
	conds []string
	args  []any
}

func (b *builder) where(cond string) { b.conds = append(b.conds, cond) }

// arg adds v to the arguments and returns its placeholder.
func (b *builder) arg(v any) string {
	b.args = append(b.args, v)
	return fmt.Sprintf("$%d", len(b.args))
}

// in adds "col IN (…)" for vals; nil adds nothing and an empty non-nil
// list matches no row.
func (b *builder) in(col string, vals []string) {
	if vals == nil {
		return
	}
	var list string
	b.args, list = In(b.args, vals)
	b.where(col + ` IN ` + list)
}

// In appends vals to args and returns the parenthesised list of their
// placeholders, such as "($3, $4)", to follow "col IN". An empty vals gives
// "(NULL)", which no row matches.
func In[T any](args []any, vals []T) ([]any, string) {
	if len(vals) == 0 {
		return args, "(NULL)"
	}
	marks := make([]string, len(vals))
	for i, v := range vals {
		args = append(args, v)
		marks[i] = fmt.Sprintf("$%d", len(args))
	}
	return args, "(" + strings.Join(marks, ", ") + ")"
}
