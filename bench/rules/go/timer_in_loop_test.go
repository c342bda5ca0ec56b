// go/timer-in-loop: a select loop over n ready messages with time.After(time.Minute) per iteration vs. one timer Reset per iteration.
package bench

import (
	"testing"
	"time"
)

// unit: messages
// also at go: 1.22
var timerSizes = []int{1000, 100000}

func messages(n int) chan int {
	ch := make(chan int, n)
	for i := 0; i < n; i++ {
		ch <- i
	}
	close(ch)
	return ch
}

func pumpFlagged(in <-chan int) int {
	total := 0
	for {
		select {
		case v, ok := <-in:
			if !ok {
				return total
			}
			total += v
		case <-time.After(time.Minute):
			return total
		}
	}
}

// syncTimers tells whether this program runs with Go 1.23's timers (a module at go 1.23 or later): their channel
// is unbuffered, so a fired timer's len(C) is 0, and Reset alone restarts one, which is what the fix writes there.
// Older timers (a module below go 1.23, whatever the toolchain) hold the fired value, and the fix drains it first.
var syncTimers = func() bool {
	t := time.NewTimer(0)
	time.Sleep(10 * time.Millisecond)
	return len(t.C) == 0
}()

func pumpFixed(in <-chan int) int {
	total := 0
	timer := time.NewTimer(time.Minute)
	defer timer.Stop()
	for {
		if !syncTimers && !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(time.Minute)
		select {
		case v, ok := <-in:
			if !ok {
				return total
			}
			total += v
		case <-timer.C:
			return total
		}
	}
}

func TestTimerInLoop(t *testing.T) {
	for _, n := range timerSizes {
		if pumpFlagged(messages(n)) != pumpFixed(messages(n)) {
			t.Fatalf("shapes disagree at n=%d", n)
		}
	}
}

func BenchmarkTimerInLoop(b *testing.B) {
	run := func(f func(<-chan int) int) func(*testing.B, int) {
		return func(b *testing.B, n int) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				ch := messages(n)
				b.StartTimer()
				sink = f(ch)
			}
		}
	}
	shapes(b, timerSizes, run(pumpFlagged), run(pumpFixed))
}
