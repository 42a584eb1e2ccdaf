//! `--query`: JMESPath as Python's jmespath runs it in the AWS CLI. The `jmespath` crate parses;
//! the messages, the lexer's decisions and the evaluation are Python's.

mod evaluate;
mod lexer;
mod query;
mod signature;

pub(crate) use evaluate::search;
pub use query::{Query, QueryError};
