package extract

import (
	"time"
)

// Month and weekday names, English and Spanish, folded.
var (
	months = map[string]time.Month{
		"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
		"june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
		"october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
		"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
		"septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
	}

	weekdays = map[string]time.Weekday{
		"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
		"domingo": 0, "lunes": 1, "martes": 2, "miercoles": 3, "jueves": 4, "viernes": 5, "sabado": 6,
	}
	relativeDays = map[string]int{
		"yesterday": -1, "ayer": -1, "anteayer": -2, "antier": -2, "anoche": -1, "today": 0, "hoy": 0,
		"tonight": 0,
	}
)

// dateMention is a date read from the text.
type dateMention struct {
	day        time.Time
	start, end int
	relative   bool
}

// findDates reads every absolute and relative date in ws. Relative dates and
// dates without a year need the publication date pub; without it they are
// skipped.
func findDates(ws []word, pub time.Time) []dateMention {
	var out []dateMention
	yearGiven := false
	add := func(d time.Time, start, end int, rel bool) {
		if d.IsZero() {
			return
		}
		if !pub.IsZero() && d.After(pub.AddDate(0, 0, 1)) {
			if rel || yearGiven {
				// What a report tells happened before it was published;
				// a later date is another day (a schedule, an update).
				return
			}
			// A day and month without a year that would lie in the
			// future belong to the year before.
			d = d.AddDate(-1, 0, 0)
		}
		out = append(out, dateMention{day: d, start: start, end: end, relative: rel})
	}
	for i := 0; i < len(ws); i++ {
		f := ws[i].fold
		// ISO 2025-11-20 arrives as three number words; dd/mm/yyyy too.
		if y, ok := digits(f); ok && len(f) == 4 && y > 1900 && i+2 < len(ws) && adjacent(ws, i, 3) {
			m, ok1 := digits(ws[i+1].fold)
			d, ok2 := digits(ws[i+2].fold)
			if ok1 && ok2 {
				if t, ok := mkDate(y, m, d); ok {
					yearGiven = true
					add(t, ws[i].start, ws[i+2].end, false)
					i += 2
					continue
				}
			}
		}
		if d, ok := digits(f); ok && d >= 1 && d <= 31 && len(f) <= 2 {
			// 15/10/2026 (day first, as in Spanish and most reporting outside the US)
			if i+2 < len(ws) && adjacent(ws, i, 3) {
				if m, ok := digits(ws[i+1].fold); ok && m >= 1 && m <= 12 && len(ws[i+1].fold) <= 2 {
					if y, ok := digits(ws[i+2].fold); ok && len(ws[i+2].fold) == 4 {
						if t, ok := mkDate(y, m, d); ok {
							yearGiven = true
							add(t, ws[i].start, ws[i+2].end, false)
							i += 2
							continue
						}
					}
				}
			}
			// 9 May 2020, 9 de mayo de 2020, 9 May, 20 de noviembre
			j := i + 1
			if j < len(ws) && ws[j].fold == "de" {
				j++
			}
			if j < len(ws) {
				if m, ok := months[ws[j].fold]; ok {
					end := ws[j].end
					y := yearAfter(ws, j+1)
					if y.year > 0 {
						end = y.end
					} else if i > 0 && streetWords[ws[i-1].fold] {
						// "en la 10 de Mayo", "avenida 5 de Mayo": a street
						// or neighbourhood named after a date.
						i = j
						continue
					}
					yearGiven = y.year > 0
					if t := withYear(d, m, y.year, pub); !t.IsZero() {
						add(t, ws[i].start, end, false)
						i = j
						continue
					}
				}
			}
		}
		if ws[i].cls&clsMonth != 0 && i+1 < len(ws) {
			m := months[f]
			// May 9, 2020 and May 9
			if d, ok := digits(ws[i+1].fold); ok && d >= 1 && d <= 31 && len(ws[i+1].fold) <= 2 {
				end := ws[i+1].end
				y := yearAfter(ws, i+2)
				if y.year > 0 {
					end = y.end
				}
				yearGiven = y.year > 0
				if t := withYear(d, m, y.year, pub); !t.IsZero() {
					add(t, ws[i].start, end, false)
					i++
					continue
				}
			}
		}
		if pub.IsZero() {
			continue
		}
		if ws[i].cls&clsRelDay != 0 {
			off := relativeDays[f]
			add(pub.AddDate(0, 0, off), ws[i].start, ws[i].end, true)
			continue
		}
		if f == "last" && i+1 < len(ws) && ws[i+1].fold == "night" {
			add(pub.AddDate(0, 0, -1), ws[i].start, ws[i+1].end, true)
			i++
			continue
		}
		// hace tres días / three days ago
		if f == "hace" && i+2 < len(ws) && (ws[i+2].fold == "dias" || ws[i+2].fold == "dia") {
			if n, used := readNumber(ws, i+1); used == 1 && n.lo < 31 {
				add(pub.AddDate(0, 0, -n.lo), ws[i].start, ws[i+2].end, true)
				i += 2
				continue
			}
		}
		if i+2 < len(ws) && ws[i+2].fold == "ago" && (ws[i+1].fold == "days" || ws[i+1].fold == "day") {
			if n, used := readNumber(ws, i); used == 1 && n.lo < 31 {
				add(pub.AddDate(0, 0, -n.lo), ws[i].start, ws[i+2].end, true)
				i += 2
				continue
			}
		}
		if ws[i].cls&clsWeekday != 0 {
			wd := weekdays[f]
			back := (int(pub.Weekday()) - int(wd) + 7) % 7
			start := ws[i].start
			if i > 0 && (ws[i-1].fold == "pasado" || ws[i-1].fold == "last") && back == 0 {
				back = 7
			}
			if i > 0 && (ws[i-1].fold == "pasado" || ws[i-1].fold == "last" || ws[i-1].fold == "este" || ws[i-1].fold == "on") {
				start = ws[i-1].start
			}
			// "el jueves 20 de noviembre": the explicit date that follows wins.
			if i+1 < len(ws) {
				if _, ok := digits(ws[i+1].fold); ok {
					continue
				}
			}
			add(pub.AddDate(0, 0, -back), start, ws[i].end, true)
		}
	}
	return out
}

// streetWords come before a street or neighbourhood named after a date.
var streetWords = map[string]bool{
	"la": true, "avenida": true, "av": true, "calle": true, "colonia": true, "col": true, "calzada": true,
	"boulevard": true, "bulevar": true, "blvd": true, "fraccionamiento": true, "unidad": true, "plaza": true,
	"escuela": true, "esquina": true, "glorieta": true,
}

type yearMention struct {
	year int
	end  int
}

// yearAfter reads ", 2020" or "de 2020" or "2020" at word j.
func yearAfter(ws []word, j int) yearMention {
	if j < len(ws) && ws[j].fold == "de" || j < len(ws) && ws[j].fold == "del" {
		j++
	}
	if j < len(ws) {
		if y, ok := digits(ws[j].fold); ok && len(ws[j].fold) == 4 && y > 1900 && y < 2200 {
			return yearMention{year: y, end: ws[j].end}
		}
	}
	return yearMention{}
}

// withYear builds a date, taking a missing year from the publication date.
func withYear(d int, m time.Month, y int, pub time.Time) time.Time {
	if y == 0 {
		if pub.IsZero() {
			return time.Time{}
		}
		y = pub.Year()
	}
	t, ok := mkDate(y, int(m), d)
	if !ok {
		return time.Time{}
	}
	return t
}

func mkDate(y, m, d int) (time.Time, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2200 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// adjacent reports whether words i..i+n-1 are joined by single separators
// such as "-" or "/", as in 2025-11-20 or 15/10/2026.
func adjacent(ws []word, i, n int) bool {
	for k := i; k < i+n-1; k++ {
		if ws[k+1].start-ws[k].end != 1 {
			return false
		}
	}
	return true
}
