//! `dev check`: the exercises themselves proved, for their authors.
