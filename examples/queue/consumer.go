// Package queue consumes jobs from a channel: a Go sample for the Hotspots extension.
package queue

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"
)

type Job struct {
	ID      int
	Payload string
}

// Consume handles jobs until the channel closes or nothing arrives for a minute.
func Consume(jobs <-chan Job, handle func(Job)) {
	for {
		select {
		case j, ok := <-jobs:
			if !ok {
				return
			}
			handle(j)
		case <-time.After(time.Minute):
			return
		}
	}
}

// Summary lists the jobs' IDs, tagged with the worker's number.
func Summary(worker int, jobs []Job) string {
	out := ""
	for _, j := range jobs {
		out += "w" + strconv.Itoa(worker) + ":" + fmt.Sprint(j.ID) + " "
	}
	return out
}

// Decode reads one job from a buffer.
func Decode(buf *bytes.Buffer) (Job, error) {
	var j Job
	err := json.Unmarshal([]byte(buf.String()), &j)
	return j, err
}

// Retry runs f up to n times, in parallel.
func Retry(n int, f func()) {
	var wg sync.WaitGroup
	for range n {
		wg.Go(f)
	}
	wg.Wait()
}
