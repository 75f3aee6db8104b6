/**
 * Top-to-bottom layout of a layer graph (a small Sugiyama-style layout): ranks by longest path
 * from the inputs, long edges routed through invisible waypoints, and the graph's longest path
 * (its trunk) kept in one straight column, side branches to its right. This keeps Sequential
 * models a single column and residual networks (ResNet) a readable spine with shortcut lanes.
 */

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}

export interface PlacedNode {
  id: string;
  /** Centre x and top y. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An edge as a polyline: start on the source's bottom, waypoints, end on the target's top. */
export interface RoutedEdge {
  from: string;
  to: string;
  points: [number, number][];
}

export interface GraphLayout {
  nodes: PlacedNode[];
  edges: RoutedEdge[];
  width: number;
  height: number;
}

const RANK_GAP = 34;
const NODE_GAP = 36;
const LANE_WIDTH = 14;
const MARGIN = 24;

interface Slot {
  /** A real node id, or null for a waypoint of a long edge. */
  id: string | null;
  width: number;
  rank: number;
  preds: Slot[];
  x: number;
  trunk: boolean;
}

/** Orders nodes so every edge goes forward (Kahn's algorithm, stable in the given order). */
function topologicalOrder(nodes: readonly LayoutNode[], edges: readonly [string, string][]): string[] {
  const indegree = new Map(nodes.map((n) => [n.id, 0]));
  const successors = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const [from, to] of edges) {
    if (!indegree.has(from) || !indegree.has(to)) throw new Error(`plotModel: edge ${from} -> ${to} names an unknown layer.`);
    indegree.set(to, indegree.get(to)! + 1);
    successors.get(from)!.push(to);
  }
  const position = new Map(nodes.map((n, i) => [n.id, i]));
  const ready = nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const id = ready.shift()!;
    order.push(id);
    for (const next of successors.get(id)!) {
      indegree.set(next, indegree.get(next)! - 1);
      if (indegree.get(next) === 0) ready.push(next);
    }
  }
  if (order.length !== nodes.length) throw new Error('plotModel: the layer graph has a cycle.');
  return order;
}

export function layoutGraph(nodes: readonly LayoutNode[], edges: readonly [string, string][]): GraphLayout {
  const order = topologicalOrder(nodes, edges);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const preds = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const [from, to] of edges) preds.get(to)!.push(from);

  // Ranks: longest path from any input.
  const rank = new Map<string, number>();
  for (const id of order) rank.set(id, Math.max(-1, ...preds.get(id)!.map((p) => rank.get(p)!)) + 1);

  // Trunk: walk back from the deepest node along predecessors one rank up.
  const trunk = new Set<string>();
  let current: string | undefined = order.reduce((best, id) => (rank.get(id)! >= rank.get(best)! ? id : best), order[0]!);
  while (current !== undefined) {
    trunk.add(current);
    const r: number = rank.get(current)!;
    current = preds.get(current)!.find((p) => rank.get(p) === r - 1);
  }

  // Slots per rank: real nodes plus waypoints for edges that skip ranks.
  const rankCount = Math.max(...rank.values()) + 1;
  const slotsByRank: Slot[][] = Array.from({ length: rankCount }, () => []);
  const slotOf = new Map<string, Slot>();
  for (const id of order) {
    const slot: Slot = { id, width: byId.get(id)!.width, rank: rank.get(id)!, preds: [], x: 0, trunk: trunk.has(id) };
    slotOf.set(id, slot);
    slotsByRank[slot.rank]!.push(slot);
  }
  const edgeWaypoints = new Map<string, Slot[]>();
  edges.forEach(([from, to], e) => {
    const source = slotOf.get(from)!;
    const target = slotOf.get(to)!;
    let previous = source;
    const waypoints: Slot[] = [];
    for (let r = source.rank + 1; r < target.rank; r++) {
      const waypoint: Slot = { id: null, width: LANE_WIDTH, rank: r, preds: [previous], x: 0, trunk: false };
      slotsByRank[r]!.push(waypoint);
      waypoints.push(waypoint);
      previous = waypoint;
    }
    target.preds.push(previous);
    edgeWaypoints.set(`${e}`, waypoints);
  });

  // x: rank by rank, trunk first at 0, every other slot as close above its predecessors as the
  // slots to its left allow (so branches sit to the right of the trunk, lanes keep straight).
  for (const slots of slotsByRank) {
    const desired = (slot: Slot) => (slot.preds.length ? slot.preds.reduce((sum, p) => sum + p.x, 0) / slot.preds.length : 0);
    slots.sort((a, b) => {
      if (a.trunk !== b.trunk) return a.trunk ? -1 : 1;
      // Real nodes before lanes at the same place, so lanes run outside the branch boxes.
      return desired(a) - desired(b) || (a.id === null ? 1 : 0) - (b.id === null ? 1 : 0);
    });
    let rightEdge = Number.NEGATIVE_INFINITY;
    for (const slot of slots) {
      const want = slot.trunk ? 0 : desired(slot);
      const gap = slot.id === null ? NODE_GAP / 2 : NODE_GAP;
      slot.x = Math.max(want, rightEdge + gap + slot.width / 2);
      rightEdge = slot.x + slot.width / 2;
    }
  }

  // y: each rank as tall as its tallest node.
  const rankTop: number[] = [];
  let y = MARGIN;
  for (const slots of slotsByRank) {
    rankTop.push(y);
    const tallest = Math.max(0, ...slots.filter((s) => s.id !== null).map((s) => byId.get(s.id!)!.height));
    y += (tallest || 10) + RANK_GAP;
  }
  const height = y - RANK_GAP + MARGIN;

  const allSlots = slotsByRank.flat();
  const minX = Math.min(...allSlots.map((s) => s.x - s.width / 2));
  const maxX = Math.max(...allSlots.map((s) => s.x + s.width / 2));
  const shift = MARGIN - minX;
  const placed = new Map<string, PlacedNode>();
  for (const slot of allSlots) {
    if (slot.id === null) continue;
    const node = byId.get(slot.id)!;
    placed.set(slot.id, { id: slot.id, x: slot.x + shift, y: rankTop[slot.rank]!, width: node.width, height: node.height });
  }
  const rankHeight = (r: number) =>
    Math.max(10, ...slotsByRank[r]!.filter((s) => s.id !== null).map((s) => byId.get(s.id!)!.height));

  // Edges leave and enter spread along the box edges, ordered by where the other end is.
  const outgoing = new Map<string, number[]>();
  const incoming = new Map<string, number[]>();
  edges.forEach(([from, to], e) => {
    outgoing.set(from, [...(outgoing.get(from) ?? []), e]);
    incoming.set(to, [...(incoming.get(to) ?? []), e]);
  });
  const firstHopX = (e: number) => {
    const waypoints = edgeWaypoints.get(`${e}`)!;
    return waypoints.length ? waypoints[0]!.x + shift : placed.get(edges[e]![1])!.x;
  };
  const lastHopX = (e: number) => {
    const waypoints = edgeWaypoints.get(`${e}`)!;
    return waypoints.length ? waypoints[waypoints.length - 1]!.x + shift : placed.get(edges[e]![0])!.x;
  };
  // An edge going straight down keeps the box centre; the others fan out toward their side.
  const spread = (node: PlacedNode, list: number[], key: (e: number) => number) => {
    const at = new Map<number, number>();
    const step = Math.min(18, (node.width * 0.4) / Math.max(1, list.length));
    const right = list.filter((e) => key(e) > node.x + 1).sort((a, b) => key(a) - key(b));
    const left = list.filter((e) => key(e) < node.x - 1).sort((a, b) => key(b) - key(a));
    const straight = list.filter((e) => Math.abs(key(e) - node.x) <= 1);
    // Several edges straight down (e.g. two inputs from one column) share the centre evenly.
    for (const [i, e] of straight.entries()) at.set(e, node.x + (i - (straight.length - 1) / 2) * step);
    const offset = straight.length > 1 ? ((straight.length - 1) / 2) * step : 0;
    for (const [i, e] of right.entries()) at.set(e, node.x + offset + step * (i + 1));
    for (const [i, e] of left.entries()) at.set(e, node.x - offset - step * (i + 1));
    return at;
  };
  const exitX = new Map<number, number>();
  const entryX = new Map<number, number>();
  for (const [id, list] of outgoing) for (const [e, x] of spread(placed.get(id)!, list, firstHopX)) exitX.set(e, x);
  for (const [id, list] of incoming) for (const [e, x] of spread(placed.get(id)!, list, lastHopX)) entryX.set(e, x);

  const routed: RoutedEdge[] = edges.map(([from, to], e) => {
    const source = placed.get(from)!;
    const target = placed.get(to)!;
    const points: [number, number][] = [[exitX.get(e)!, source.y + source.height]];
    // A lane runs straight down through each rank it crosses and bends only between ranks,
    // so curves never cut across the corner of a box.
    for (const waypoint of edgeWaypoints.get(`${e}`)!) {
      points.push([waypoint.x + shift, rankTop[waypoint.rank]!]);
      points.push([waypoint.x + shift, rankTop[waypoint.rank]! + rankHeight(waypoint.rank)]);
    }
    points.push([entryX.get(e)!, target.y]);
    return { from, to, points };
  });
  return { nodes: [...placed.values()], edges: routed, width: maxX - minX + 2 * MARGIN, height };
}
