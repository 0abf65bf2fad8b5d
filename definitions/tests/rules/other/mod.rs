//! The file's shape, unknown and misspelt keys, and messages that suggest valid
//! fixes; a module per subject.

use super::*;

use conv_api_definitions::names::did_you_mean;

mod misspellings;
mod other_formats;
mod shape;
mod wrong_file;
