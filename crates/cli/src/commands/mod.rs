//! One module per command group.

pub mod agencies;
pub mod ask;
pub mod audit;
pub mod demo;
pub mod registry;
pub mod rules;
pub mod serve;
pub mod sharing;
