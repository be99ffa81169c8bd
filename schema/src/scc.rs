//! Strongly connected components, for cycle checks over the type graph.

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
