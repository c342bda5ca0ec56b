// Fix oracle program for go/waitgroup-go-unavailable: sync.WaitGroup.Go, for code that targets Go 1.21.
//
// WaitGroup.Go is a method of the standard library, not a language feature, so with a toolchain of Go 1.25 or
// later the original builds in a module at go 1.21 too: both sides run at go 1.21, and what differs is the fix.
// The goroutines record what they did in a set (their order is the scheduler's); each case prints it sorted.
package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

var (
	mu   sync.Mutex
	done []string
)

func record(s string) {
	mu.Lock()
	defer mu.Unlock()
	done = append(done, s)
}

type Pool struct {
	wg    sync.WaitGroup
	tasks []func()
}

func (p *Pool) Run() {
	for _, t := range p.tasks {
		p.wg.Go(t) // want: go/waitgroup-go-unavailable fix=safe
	}
	p.wg.Wait()
}

func greet(names []string) {
	var wg sync.WaitGroup
	for _, name := range names {
		name := name
		wg.Go(func() { // want: go/waitgroup-go-unavailable fix=safe
			record("hello " + name)
			record("bye " + name)
		})
	}
	wg.Wait()
}

func rebound(work func()) {
	var wg sync.WaitGroup
	f := work
	wg.Go(f) // want: go/waitgroup-go-unavailable fix=safe
	f = func() { record("the new f") }
	wg.Wait()
	f()
}

type holder struct{ group *sync.WaitGroup }

func viaField(h holder, n int) {
	for i := 0; i < n; i++ {
		i := i
		h.group.Go(func() { record(fmt.Sprint("field ", i)) }) // want: go/waitgroup-go-unavailable fix=unsafe
	}
	h.group.Wait()
}

func reassigned(work func()) {
	wg := new(sync.WaitGroup)
	wg.Go(work) // want: go/waitgroup-go-unavailable fix=unsafe
	wg.Wait()
	wg = new(sync.WaitGroup)
	wg.Go(work) // want: go/waitgroup-go-unavailable fix=unsafe
	wg.Wait()
}

func show(name string, f func()) {
	mu.Lock()
	done = nil
	mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			fmt.Printf("%s: panics: %v\n", name, r)
		}
	}()
	f()
	mu.Lock()
	got := append([]string(nil), done...)
	mu.Unlock()
	sort.Strings(got)
	fmt.Printf("%s: did %s\n", name, strings.Join(got, ", "))
}

func main() {
	for _, n := range []int{0, 1, 3} {
		show(fmt.Sprintf("Pool.Run(%d tasks)", n), func() {
			p := &Pool{}
			for i := 0; i < n; i++ {
				i := i
				p.tasks = append(p.tasks, func() { record(fmt.Sprint("task ", i)) })
			}
			p.Run()
		})
		show(fmt.Sprintf("viaField(%d)", n), func() { viaField(holder{new(sync.WaitGroup)}, n) })
	}
	for _, names := range [][]string{nil, {"ann"}, {"ann", "bö", "ann"}} {
		show(fmt.Sprintf("greet(%q)", names), func() { greet(names) })
	}
	show("rebound", func() { rebound(func() { record("the first f") }) })
	show("reassigned", func() { reassigned(func() { record("work") }) })
}
