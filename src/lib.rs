//! vpcreach: offline reachability analysis of AWS VPC snapshots for Fargate workloads.
pub mod cli;
#[cfg(feature = "aws")]
pub mod export;
pub mod model;
pub mod reachability;
pub mod report;
pub mod rules;
pub mod sarif;
