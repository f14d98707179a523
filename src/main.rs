use clap::Parser;

// Parsing allocates many small strings; mimalloc is markedly faster than glibc's malloc at that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // `edgarfacts query ... | head` should end quietly, as Unix tools do
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = edgarfacts::cmd::Cli::parse();
    match edgarfacts::cmd::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(1);
        }
    }
}
