//! vpcreach: offline reachability analysis of AWS VPC snapshots for Fargate workloads.

// Input-derived data never panics the library: no unwrap, expect, panic or unchecked
// indexing outside tests (issue 6; the few justified exceptions are allowed where they are).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]
pub mod cli;
pub mod diff;
mod excerpt;
pub mod expect;
#[cfg(feature = "aws")]
pub mod export;
pub mod generate;
pub mod model;
pub mod pictures;
pub mod reachability;
pub mod report;
pub mod rules;
pub mod sarif;
pub mod timings;
