//! Strongly connected components, for cycle checks over the type graph.

use crate::ir::{Field, Module};

/// The data classes of a catalog as a directed graph: node `i` is the record
/// `ids[i]` (module index, record index); `edges[i]` are the records its
/// fields lead to, as chosen by the caller's edge function.
#[derive(Debug, Clone)]
pub struct RecordGraph {
    /// (module index, record index) of each node.
    pub ids: Vec<(usize, usize)>,
    /// Adjacency lists, by node.
    pub edges: Vec<Vec<usize>>,
    offsets: Vec<usize>,
}

impl RecordGraph {
    /// Builds the graph; `edge` names the record a field leads to, if any.
    pub fn new(modules: &[Module], edge: impl Fn(&Field) -> Option<(usize, usize)>) -> Self {
        let ids: Vec<(usize, usize)> = modules
            .iter()
            .enumerate()
            .flat_map(|(mi, m)| (0..m.types.len()).map(move |ti| (mi, ti)))
            .collect();
        let offsets: Vec<usize> = modules
            .iter()
            .scan(0, |acc, m| {
                let o = *acc;
                *acc += m.types.len();
                Some(o)
            })
            .collect();
        let node = |id: (usize, usize)| offsets[id.0] + id.1;
        let edges = ids
            .iter()
            .map(|&(mi, ti)| {
                modules[mi].types[ti]
                    .fields
                    .iter()
                    .filter_map(&edge)
                    .map(node)
                    .collect()
            })
            .collect();
        RecordGraph {
            ids,
            edges,
            offsets,
        }
    }

    /// The node of a record.
    pub fn node(&self, (module, record): (usize, usize)) -> usize {
        self.offsets[module] + record
    }
}

/// The strongly connected components of a directed graph given as adjacency
/// lists, each a list of node indices (Tarjan's algorithm, with an explicit
/// stack: catalogs may be deep).
///
/// ```
/// let edges = vec![vec![1], vec![0], vec![]];
/// let mut c = openedx_hooks_schema::scc::components(&edges);
/// c.iter_mut().for_each(|c| c.sort());
/// c.sort();
/// assert_eq!(c, vec![vec![0, 1], vec![2]]);
/// ```
pub fn components(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut index, mut low, mut on_stack) = (vec![UNSEEN; n], vec![0; n], vec![false; n]);
    let (mut stack, mut out, mut next) = (Vec::new(), Vec::new(), 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut ei)) = work.last_mut() {
            if *ei == 0 && index[v] == UNSEEN {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*ei) {
                *ei += 1;
                if index[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(comp);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::components as tarjan;

    #[test]
    fn finds_components() {
        let edges = vec![vec![1], vec![0], vec![2], vec![]];
        let mut sccs: Vec<Vec<usize>> = tarjan(&edges)
            .into_iter()
            .map(|mut c| {
                c.sort();
                c
            })
            .collect();
        sccs.sort();
        assert_eq!(sccs, vec![vec![0, 1], vec![2], vec![3]]);
    }

    #[test]
    fn deep_chain_does_not_overflow() {
        let n = 200_000;
        let edges: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![0] })
            .collect();
        assert_eq!(tarjan(&edges).len(), 1);
    }
}
