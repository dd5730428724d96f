module pv/c20go

go 1.19
