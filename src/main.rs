use clap::Parser;

fn main() {
    let cli = edgarfacts::cmd::Cli::parse();
    match edgarfacts::cmd::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(1);
        }
    }
}
