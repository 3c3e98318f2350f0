package site

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/testigo-project/testigo"
)

// StateName is the file in which Build remembers how far into the
// transparency log its last build read, and what else the site depended
// on. It is not part of the site (no page links it, SHA256SUMS does not
// list it); deleting it forces a full build.
const StateName = ".testigo-site.json"

// state is what StateName holds.
type state struct {
	LogSize   int64    `json:"log_size"`  // log size when the build started
	Key       string   `json:"key"`       // hex SHA-256 of the build's inputs besides the store
	Countries []string `json:"countries"` // the country codes on the site, for their names
	Incidents int      `json:"incidents"`
	Updated   string   `json:"updated"` // RFC 3339, Result.Updated
}

// buildKey hashes what the pages depend on besides the store: the options,
// the program that renders (exe, the SHA-256 of its executable, so any
// change of code or embedded data counts) and the names of the given
// countries.
func buildKey(opt Options, exe string, countries []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "title=%q\nbase=%q\nversion=%q\nexe=%s\n", opt.Title, opt.BaseURL, testigo.Version, exe)
	bm := sha256.Sum256(opt.Basemap)
	fmt.Fprintf(h, "basemap=%x\n", bm)
	for _, cc := range countries {
		name := ""
		if opt.CountryName != nil {
			name = opt.CountryName(cc)
		}
		fmt.Fprintf(h, "country %s=%q\n", cc, name)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// exeSum returns the hex SHA-256 of the running executable, or "" when it
// cannot be read (then the version alone names the program).
func exeSum() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	sum, err := fileSum(exe)
	if err != nil {
		return ""
	}
	return sum
}

// readState returns the state of the last build in dir, or nil if there
// is none or it cannot be read (a full build follows).
func readState(dir string) *state {
	b, err := os.ReadFile(filepath.Join(dir, StateName))
	if err != nil {
		return nil
	}
	var st state
	if json.Unmarshal(b, &st) != nil {
		return nil
	}
	return &st
}

// writeState records the build's state.
func (b *builder) writeState(size int64, exe string) error {
	codes := make([]string, 0, len(b.countries))
	for cc := range b.countries {
		if cc != noCountry {
			codes = append(codes, cc)
		}
	}
	sort.Strings(codes)
	st := state{LogSize: size, Key: buildKey(b.opt, exe, codes), Countries: codes, Incidents: b.total}
	if !b.updated.IsZero() {
		st.Updated = b.updated.UTC().Format(timeLayout)
	}
	j, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("site state: %w", err)
	}
	f := &files{dir: b.files.dir, sums: map[string]string{}, dirs: map[string]bool{}}
	return f.write(StateName, append(j, '\n'))
}

const timeLayout = "2006-01-02T15:04:05.999999999Z07:00"

// changedSince returns the incidents with an incident log entry appended
// since the build that st describes, and whether st can be relied on at
// all: same build key, and a log that did not shrink. A published incident
// changes only with such an entry (the pages refuse to show a state the
// log does not back), so the pages of the others come out the same.
func changedSince(ctx context.Context, rd Reader, opt Options, exe string, st *state, size int64) (map[testigo.IncidentID]bool, bool, error) {
	if st == nil || st.LogSize > size || st.Key != buildKey(opt, exe, st.Countries) {
		return nil, false, nil
	}
	changed := map[testigo.IncidentID]bool{}
	const batch = 1000
	for from := st.LogSize; from < size; from += batch {
		es, err := rd.FindLogEntries(ctx, from, min(from+batch, size))
		if err != nil {
			return nil, false, fmt.Errorf("build site: read log entries from %d: %w", from, err)
		}
		for _, e := range es {
			if e.Kind != testigo.LogIncident {
				continue
			}
			n, err := strconv.ParseInt(strings.TrimPrefix(e.Subject, "incident:"), 10, 64)
			if err != nil || !strings.HasPrefix(e.Subject, "incident:") {
				return nil, false, nil // not understood: build everything
			}
			changed[testigo.IncidentID(n)] = true
		}
	}
	return changed, true, nil
}

// allThere reports whether every file of the last build still exists.
func allThere(dir string, old map[string]string) (bool, error) {
	for rel := range old {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel))); errors.Is(err, fs.ErrNotExist) {
			return false, nil
		} else if err != nil {
			return false, fmt.Errorf("build site: %w", err)
		}
	}
	return true, nil
}
