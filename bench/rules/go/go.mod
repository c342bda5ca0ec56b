module example.com/hotspots/bench

go 1.19
