module pv/c09race

go 1.19
