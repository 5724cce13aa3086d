"""A process diff (processes/process_diff.py) as plain English lines, for the command line."""


def diff_lines(found):
    """One line per change of one process's diff; a single «no changes» line when there is none."""
    head = f"process {found['process_id']}"
    if found["from_version"] is None:
        head += ": new process"
    if not found["changed"]:
        return [f"{head}: no changes (version {found['from_version']} stays)"]
    lines = [f"{head} against version {found['from_version']}" if found["from_version"] else head]
    statuses = found["statuses"]
    lines += [f"  status {s['code']} added ({s['name']}, stage {s['stage']})" for s in statuses["added"]]
    lines += [f"  status {s['code']} removed ({s['records']} records in it now)" for s in statuses["removed"]]
    lines += [f"  status {s['code']} renamed: {s['old']} -> {s['new']}" for s in statuses["renamed"]]
    lines += [f"  status {s['code']} moved: stage {s['old_stage']} -> {s['new_stage']}, "
              f"lane {s['old_lane'] or '-'} -> {s['new_lane'] or '-'}" for s in statuses["moved"]]
    lines += [f"  move {a} -> {b} added" for a, b in found["moves"]["added"]]
    lines += [f"  move {a} -> {b} removed" for a, b in found["moves"]["removed"]]
    lines += [f"  status {p['code']} property {p['property']}: {p['old']} -> {p['new']}" for p in found["properties"]]
    if found["order_changed"]:
        lines.append("  the board's order of statuses changed")
    if len(lines) == 1:
        lines.append("  changes outside the statuses (conditions, scripts, timers, forms)")
    return lines
