use std::process::ExitCode;

// jemalloc, because the system allocator kept the memory of a flood of
// request bodies after they were gone (30 MiB and more, never returned);
// jemalloc's background thread hands freed pages back within seconds.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    // Purge freed memory on a timer, not only when the process next
    // allocates: a server left idle after a flood shrinks too. Without it
    // jemalloc still works, only slower to give memory back.
    let _ = tikv_jemalloc_ctl::background_thread::write(true);
    zlack::cli::main()
}
