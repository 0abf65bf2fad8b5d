//! The conv_api! macro.
