module pv/c19go

go 1.19
