package archive

import (
	"os"
	"sync"
)

// groupSync makes writes durable for many concurrent Puts at once. Each
// fsync on a journalling file system waits for a journal commit, so
// per-file fsyncs from concurrent writers queue behind one another; one
// syncfs(2) (where the platform has it) flushes every write made before it
// began, so a Put waits for the next whole-file-system sync that starts
// after its own writes — a group commit, as databases do for their logs.
type groupSync struct {
	root string

	mu        sync.Mutex
	cond      *sync.Cond
	requested uint64 // sync requests made so far
	done      uint64 // requests covered by a finished sync
	running   bool
	err       error // of the last finished sync
}

func newGroupSync(root string) *groupSync {
	g := &groupSync{root: root}
	g.cond = sync.NewCond(&g.mu)
	return g
}

// wait returns once a sync that began after the call has finished, with
// that sync's error. Writes made before the call are then durable.
func (g *groupSync) wait() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.requested++
	mine := g.requested
	for g.done < mine {
		if g.running {
			g.cond.Wait()
			continue
		}
		// Lead a sync covering every request made until now.
		g.running = true
		covers := g.requested
		g.mu.Unlock()
		err := syncFS(g.root)
		g.mu.Lock()
		g.running, g.done, g.err = false, covers, err
		g.cond.Broadcast()
	}
	return g.err
}

// syncFile is the fallback where there is no syncfs: fsync the file (and
// Put then fsyncs its directory).
func syncFile(f *os.File) error { return f.Sync() }
