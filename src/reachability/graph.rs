//! The forwarding topology as a petgraph graph behind a domain type: subnets use route
//! tables, route tables point at targets. Used to find routing cycles and to check the
//! snapshot's wiring; the walk itself reads the typed model.

use std::collections::BTreeMap;

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::model::*;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Node {
    Subnet(SubnetId),
    RouteTable(RouteTableId),
    /// A route target, by its ID (`igw-…`, `nat-…`, `vpce-…`, `local`, …).
    Target(String),
}

/// Subnet → route table → target edges of a snapshot.
pub struct Topology {
    graph: DiGraph<Node, String>,
    index: BTreeMap<Node, NodeIndex>,
}

impl Topology {
    pub fn build(snapshot: &Snapshot) -> Self {
        let mut topology = Topology { graph: DiGraph::new(), index: BTreeMap::new() };
        for subnet in snapshot.subnets.keys() {
            if let Some((table, _)) = snapshot.effective_route_table(subnet) {
                topology.edge(Node::Subnet(subnet.clone()), Node::RouteTable(table.id.clone()), "uses".to_owned());
            }
        }
        for table in snapshot.route_tables.values() {
            for route in &table.routes {
                topology.edge(
                    Node::RouteTable(table.id.clone()),
                    Node::Target(route.target.id().to_owned()),
                    route.destination.to_string(),
                );
            }
        }
        // A NAT gateway forwards by its own subnet's table (NAT-8).
        for nat in snapshot.nat_gateways.values() {
            if let Some(subnet) = &nat.subnet_id {
                if let Some((table, _)) = snapshot.effective_route_table(subnet) {
                    topology.edge(Node::Target(nat.id.to_string()), Node::RouteTable(table.id.clone()), "forwards by".to_owned());
                }
            }
        }
        topology
    }

    fn node(&mut self, node: Node) -> NodeIndex {
        if let Some(&i) = self.index.get(&node) {
            return i;
        }
        let i = self.graph.add_node(node.clone());
        self.index.insert(node, i);
        i
    }

    fn edge(&mut self, from: Node, to: Node, label: String) {
        let (a, b) = (self.node(from), self.node(to));
        self.graph.add_edge(a, b, label);
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Cycles of forwarding elements (e.g. a NAT whose subnet routes back to it), each as the
    /// IDs involved in sorted order.
    pub fn cycles(&self) -> Vec<Vec<String>> {
        let mut cycles: Vec<Vec<String>> = tarjan_scc(&self.graph)
            .into_iter()
            .filter(|scc| scc.len() > 1)
            .map(|scc| {
                let mut ids: Vec<String> = scc
                    .into_iter()
                    .filter_map(|i| self.graph.node_weight(i))
                    .map(|n| match n {
                        Node::Subnet(id) => id.to_string(),
                        Node::RouteTable(id) => id.to_string(),
                        Node::Target(id) => id.clone(),
                    })
                    .collect();
                ids.sort();
                ids
            })
            .collect();
        cycles.sort();
        cycles
    }

    /// Invariants: every edge joins existing nodes and the index matches the graph.
    pub fn verify(&self) -> bool {
        self.index.len() == self.graph.node_count() && self.index.iter().all(|(n, &i)| self.graph.node_weight(i) == Some(n))
    }
}
