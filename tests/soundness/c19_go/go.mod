module pv/c19go

go 1.19

require pv/proofs v0.0.0

replace pv/proofs => ../../../proofs
