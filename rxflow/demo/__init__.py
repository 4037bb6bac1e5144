"""The demo hospital and a simulated front-desk day, for newcomers and for `make run`."""
