"""Starting and stopping the project's processes and services, for tests and benchmarks."""
