//! vpcreach: offline reachability analysis of AWS VPC snapshots for Fargate workloads.
pub mod model;
pub mod reachability;
pub mod rules;
pub mod report;
pub mod cli;
