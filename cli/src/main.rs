//! `conv-api`: check, show and list the secrets of a conv-api definitions file; review a conversation log.
#![forbid(unsafe_code)]

mod check;
mod input;
mod output;
mod review;
mod secrets;
mod show;
mod table;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::builder::TypedValueParser;
use clap::{Parser, Subcommand};
use conv_api_definitions::{Checked, Environment, LoadError};
use conv_api_runtime::{DotenvError, SecretStore};

/// Check, show and list the secrets of conv-api definitions files; review conversation logs.
#[derive(Debug, Parser)]
#[command(name = "conv-api", version, about, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What `--help` says of the exit codes, for scripts (the README says more).
const EXIT_CODES: &str = "\
Exit codes:
  0  all is well (warnings do not fail), or a pipe's reader stopped early (`| head`)
  1  a file has errors or cannot be read; `secrets --check`: a secret is missing or
     invalid, or no API is wired (in `--env`'s environment, or in any); `review`: a
     line cannot be read; any command: its output cannot be written (a full disk)
  2  the command line is not valid";

#[derive(Debug, Subcommand)]
enum Command {
    /// Check definitions files: every diagnostic on stderr, and a summary line per file.
    #[command(
        override_usage = "conv-api check <FILES>... [--mocks <TEST_CASE>...]",
        after_help = EXIT_CODES,
        visible_alias = "validate"
    )]
    Check {
        /// The definitions files (`-` for standard input).
        #[arg(required_unless_present = "mocks", value_parser = path())]
        files: Vec<PathBuf>,
        /// Also check the `api_mocks` of these ADK test cases (or mocks files) against
        /// the definitions file, which must then be one, given before `--mocks`.
        #[arg(long, num_args = 1.., value_name = "TEST_CASE", value_parser = path())]
        mocks: Vec<PathBuf>,
    },
    /// Show each API's operations, and its base URL and auth per environment.
    #[command(after_help = EXIT_CODES)]
    Show {
        /// The definitions file, or `-` for standard input.
        #[arg(value_parser = path())]
        file: PathBuf,
    },
    /// List the secrets each environment needs.
    #[command(after_help = EXIT_CODES)]
    Secrets {
        /// The definitions file, or `-` for standard input.
        #[arg(value_parser = path())]
        file: PathBuf,
        /// Only this environment (draft is sandbox's).
        #[arg(long, value_parser = EnvironmentName)]
        env: Option<Environment>,
        /// Say whether each secret is set in the environment now (never its value); fail if one is
        /// missing or invalid, or if no API is wired (in `--env`'s environment, or in any).
        #[arg(long)]
        check: bool,
        /// With `--check`, also read this dotenv-style file, after the environment
        /// (as `Runtime::builder().dotenv(..)` does); `-` for standard input.
        #[arg(long, visible_alias = "env-file", requires = "check", value_parser = path())]
        dotenv: Option<PathBuf>,
    },
    /// Show a conversation log (JSON Lines, as `Log::to_jsonl` writes it) as a timeline with a summary.
    #[command(after_help = EXIT_CODES)]
    Review {
        /// The log file, or `-` for standard input.
        #[arg(value_parser = path())]
        file: PathBuf,
        /// Show the entries flagged as personal data instead of hiding them.
        #[arg(long)]
        show_pii: bool,
    },
}

/// A path argument, an empty one too: the command then says that the path is empty
/// and which file it was to name (clap's own parser would say that none was given).
fn path() -> impl TypedValueParser<Value = PathBuf> {
    clap::builder::OsStringValueParser::new().map(PathBuf::from)
}

/// An environment's name, parsed as the runtime parses `CONV_ENV`; clap lists the
/// names in help and where a value is missing (`--env` alone).
#[derive(Clone)]
struct EnvironmentName;

impl TypedValueParser for EnvironmentName {
    type Value = Environment;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Environment, clap::Error> {
        let parser = clap::builder::StringValueParser::new().try_map(|name| name.parse::<Environment>());
        parser.parse_ref(command, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(Environment::RUN_TIME_NAMES.into_iter().map(clap::builder::PossibleValue::new)))
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return parse_failure(&error),
    };
    let code = match cli.command {
        Command::Check { files, mocks } => run_check(&files, &mocks),
        Command::Show { file } => with_file(&file, |checked| output::out(&show::render(&checked.definitions))),
        Command::Secrets { file, env, check, dotenv } => run_secrets(&file, env, check, dotenv.as_deref()),
        Command::Review { file, show_pii } => run_review(&file, show_pii),
    };
    if output::lost() {
        ExitCode::FAILURE
    } else {
        code
    }
}

/// clap's help, version or usage error, printed where clap prints it (help and
/// version on standard output, in colour on a terminal); help or version that cannot
/// be written fails the command, as the commands' own output does.
fn parse_failure(error: &clap::Error) -> ExitCode {
    let printed = error.print().and_then(|()| std::io::stdout().flush());
    match printed {
        Err(lost) if !error.use_stderr() && lost.kind() != std::io::ErrorKind::BrokenPipe => {
            output::err(&format!("error: cannot write the output: {lost}"));
            ExitCode::FAILURE
        }
        _ => ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2)),
    }
}

fn run_check(files: &[PathBuf], mocks: &[PathBuf]) -> ExitCode {
    if files.iter().chain(mocks).filter(|file| file.as_os_str() == "-").count() > 1 {
        output::err("error: standard input (`-`) can be read only once; name it once");
        return ExitCode::from(2);
    }
    let reports = match (files, mocks) {
        (_, []) => files.iter().map(|file| check::check_file(file)).collect(),
        ([definitions], _) => check::check_with_mocks(definitions, mocks),
        ([], _) => {
            output::err("error: `--mocks` takes every file after it as a test case, and no definitions file is left; give the definitions file before `--mocks`");
            return ExitCode::from(2);
        }
        _ => {
            output::err(&format!(
                "error: `--mocks` checks test cases against one definitions file, and {} are given; give one before `--mocks`",
                files.len()
            ));
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    for report in reports {
        report.stderr.iter().for_each(|line| output::err(line));
        report.stdout.iter().for_each(|line| output::out(&format!("{line}\n")));
        failed |= report.failed;
    }
    exit(failed)
}

fn run_secrets(file: &Path, env: Option<Environment>, check: bool, dotenv: Option<&Path>) -> ExitCode {
    if file.as_os_str() == "-" && dotenv.is_some_and(|dotenv| dotenv.as_os_str() == "-") {
        output::err(
            "error: standard input (`-`) can be read only once; give the definitions or the dotenv file by name",
        );
        return ExitCode::from(2);
    }
    let store = secrets::store(dotenv);
    match &store {
        // its lines are diagnostics already: `FILE:LINE: error: ...`
        Err(error @ DotenvError::Parse { .. }) => error.to_string().lines().for_each(output::err),
        Err(DotenvError::Read { path, error, .. }) => {
            output::err(&format!("{}: error: cannot read the secrets file: {error}", input::shown_name(path)))
        }
        Err(error) => output::err(&format!("error: {error}")),
        Ok(_) => {}
    }
    let mut failed = store.is_err();
    // read even when the dotenv file is bad, so that both files' errors are said at once
    let code = with_file(file, |checked| {
        let Ok(store) = &store else { return };
        let listing = secrets::render(&checked.definitions, env, check.then_some(store as &dyn SecretStore));
        output::out(&listing.text);
        for warning in &listing.warnings {
            output::err(&format!("warning: {warning}"));
        }
        for failure in listing.failures() {
            output::err(&format!("error: {failure}"));
            failed = true;
        }
    });
    if failed {
        ExitCode::FAILURE
    } else {
        code
    }
}

fn run_review(file: &Path, show_pii: bool) -> ExitCode {
    let (name, bytes) = input::read_log(file);
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(error) => {
            output::err(&format!("{name}: error: cannot read the log: {error}"));
            return ExitCode::FAILURE;
        }
    };
    let review = review::review(&name, &bytes, show_pii);
    review.stderr.iter().for_each(|line| output::err(line));
    output::out(&review.stdout);
    exit(review.failed)
}

/// Loads `file` and runs `then` on it; prints the diagnostics instead if it has errors.
fn with_file(file: &Path, then: impl FnOnce(&Checked)) -> ExitCode {
    match input::load_definitions(file).1 {
        Ok(checked) => {
            checked.warnings.lines().for_each(|line| output::err(&line));
            then(&checked);
            ExitCode::SUCCESS
        }
        Err(LoadError::Invalid(diagnostics)) => {
            diagnostics.lines().for_each(|line| output::err(&line));
            ExitCode::FAILURE
        }
        Err(error) => {
            output::err(&error.to_string());
            ExitCode::FAILURE
        }
    }
}

fn exit(failed: bool) -> ExitCode {
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
