// Fix oracle program for go/timer-in-loop: time.NewTimer or time.After created on every loop iteration.
//
// The channels are filled before each call, so which select case is ready does not depend on timing: a value is
// there at once, and a timer fires only once the values are used up (100 ms, far longer than a read).
package main

import (
	"context"
	"fmt"
	"time"
)

func pump(ctx context.Context, in <-chan int, handle func(int)) string {
	for {
		select {
		case v := <-in:
			handle(v)
		case <-time.After(100 * time.Millisecond): // want: go/timer-in-loop fix=unsafe
			return "idle"
		case <-ctx.Done():
			return "cancelled"
		}
	}
}

func relay(ctx context.Context, in <-chan int, out chan<- int, idle time.Duration) string {
	for {
		t := time.NewTimer(idle) // want: go/timer-in-loop fix=unsafe
		select {
		case v := <-in:
			out <- v * 10
		case <-t.C:
			return "idle"
		case <-ctx.Done():
			return "cancelled"
		}
	}
}

func send(items []int, out chan<- int, d time.Duration) int {
	sent := 0
	for _, v := range items {
		select {
		case out <- v:
			sent++
		case <-time.After(d): // want: go/timer-in-loop fix=unsafe
			return sent
		}
	}
	return sent
}

func filled(values []int) chan int {
	ch := make(chan int, len(values))
	for _, v := range values {
		ch <- v
	}
	return ch
}

func drained(ch chan int) []int {
	var out []int
	for {
		select {
		case v := <-ch:
			out = append(out, v)
		default:
			return out
		}
	}
}

func show(name string, f func() string) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Printf("%s: panics: %v\n", name, r)
		}
	}()
	fmt.Printf("%s: returns %s\n", name, f())
}

func main() {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, values := range [][]int{nil, {1}, {1, 2, 1, 3}} {
		show(fmt.Sprintf("pump(%v)", values), func() string {
			var got []int
			r := pump(context.Background(), filled(values), func(v int) { got = append(got, v) })
			return fmt.Sprint(r, " ", got)
		})
		show(fmt.Sprintf("relay(%v)", values), func() string {
			out := make(chan int, 10)
			r := relay(context.Background(), filled(values), out, 100*time.Millisecond)
			return fmt.Sprint(r, " ", drained(out))
		})
		show(fmt.Sprintf("send(%v, room for 2)", values), func() string {
			out := make(chan int, 2)
			n := send(values, out, 100*time.Millisecond)
			return fmt.Sprint(n, " ", drained(out))
		})
	}
	show("pump(cancelled)", func() string { return pump(cancelled, make(chan int), func(int) {}) })
	show("relay(cancelled)", func() string { return relay(cancelled, make(chan int), make(chan int), time.Hour) })
}
