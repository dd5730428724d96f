module pv/c19blocks

go 1.19

require pv/proofs v0.0.0

replace pv/proofs => ../../../../proofs
