// Fix oracle program for go/goroutine-leak-early-return: a return that skips WaitGroup.Wait after starting
// goroutines.
//
// Each worker sleeps a little, then counts itself done. Right after the function returns, the case reads how many
// workers are done: an early return that leaves them running shows fewer than started. The case then waits for
// the stragglers so that the next case starts clean.
package main

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

var finished atomic.Int64

func work(item string) {
	time.Sleep(80 * time.Millisecond)
	if item != "" {
		finished.Add(1)
	}
}

func fanOut(items []string) error {
	var wg sync.WaitGroup
	for _, item := range items {
		if item == "stop" {
			return errors.New("stopped at " + item) // want: go/goroutine-leak-early-return fix=unsafe
		}
		wg.Add(1)
		go func(s string) {
			defer wg.Done()
			work(s)
		}(item)
	}
	wg.Wait()
	return nil
}

func checked(items []string, limit int) (int, error) {
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func(s string) {
			defer wg.Done()
			work(s)
		}(item)
	}
	if len(items) > limit {
		return 0, fmt.Errorf("%d items, limit %d", len(items), limit) // want: go/goroutine-leak-early-return fix=unsafe
	}
	wg.Wait()
	return len(items), nil
}

func show(name string, f func() string) {
	finished.Store(0)
	defer func() {
		if r := recover(); r != nil {
			fmt.Printf("%s: panics: %v\n", name, r)
		}
	}()
	out := f()
	done := finished.Load()
	time.Sleep(160 * time.Millisecond)
	fmt.Printf("%s: returns %s, %d done on return\n", name, out, done)
}

func main() {
	for _, items := range [][]string{nil, {"a"}, {"a", "b", "a"}, {"a", "stop", "b"}, {"stop"}} {
		show(fmt.Sprintf("fanOut(%q)", items), func() string { return fmt.Sprint(fanOut(items)) })
	}
	for _, limit := range []int{0, 2, 5} {
		show(fmt.Sprintf("checked(3 items, limit %d)", limit), func() string {
			n, err := checked([]string{"x", "y", "ü"}, limit)
			return fmt.Sprint(n, " ", err)
		})
	}
}
