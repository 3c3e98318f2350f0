//go:build !unix

package extract

import "time"

// processCPU reports that CPU time cannot be read on this platform.
func processCPU() (time.Duration, bool) { return 0, false }
