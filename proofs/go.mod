module pv/proofs

go 1.19
