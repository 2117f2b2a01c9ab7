//! vpcreach: offline reachability analysis of AWS VPC snapshots for Fargate workloads.
pub mod model;
pub mod reachability;
