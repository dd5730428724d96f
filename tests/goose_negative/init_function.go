package p

func init() {
}
// want: 3:6: error: init function is not supported
