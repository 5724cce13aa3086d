"""Routes through the deployed deal diagram, read from its status model (never hard-coded)."""
from collections import deque


def shortest_path(moves, start, goal):
    """Status codes from start to goal (both included) following allowed moves."""
    seen, queue = {start: None}, deque([start])
    while queue:
        current = queue.popleft()
        if current == goal:
            path = []
            while current is not None:
                path.append(current)
                current = seen[current]
            return path[::-1]
        for nxt in moves.get(current, []):
            if nxt not in seen:
                seen[nxt] = current
                queue.append(nxt)
    raise AssertionError(f"the diagram has no path from {start} to {goal}")


def actor_for(lane):
    """The test user who acts in a lane: the director decides, the manager works the rest."""
    return "director" if lane == "director" else "manager"
