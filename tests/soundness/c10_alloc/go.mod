module pv/c10alloc

go 1.19
