// Package poller waits for jobs: the end-to-end tests' Go file.
package poller

import "time"

func Backoffs(n int) []time.Duration {
	var out []time.Duration
	for i := range n {
		out = append(out, time.Duration(i)*time.Second)
	}
	return out
}

func Describe(states []string) string {
	text := ""
	for _, s := range states {
		text += s + ";"
	}
	return text
}

func Wait(done <-chan struct{}, beats <-chan int, d time.Duration) bool {
	for {
		select {
		case <-done:
			return true
		case <-time.After(d):
			return false
		case <-beats:
		}
	}
}
