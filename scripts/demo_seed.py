#!/usr/bin/env python3
"""Seeds the demo: a Wrike workspace and a matching Cascade structure, and the mapping configs.

Input: a Wrike emulator data dump (wrike-emulator --dump-data). Output, in OUT_DIR:
  wrike.json        the Wrike data with a "Cascade ID" text field, "KPI Actual"/"KPI Target"
                    numeric fields, Cascade IDs on a few projects and tasks, KPI values on a few
  cascade.json      Cascade data (cascade-emulator --data): users and roles for most Wrike
                    people, a focus area per Wrike space, goals and tasks already linked to
                    some Wrike projects and tasks (one renamed since, one in the wrong focus area),
                    and a new-platform plan with actions and a measure
  classic.jsonc     the mapping config for Cascade Classic
  platform.jsonc    the mapping config for the new platform (links by table)
"""
import html
import json
import re
import sys


def main():
    src, out = sys.argv[1], sys.argv[2]
    w = json.load(open(src))
    acct = w["account"]["data"][0]["id"]
    spaces = w["spaces"]["data"]
    folders = w["folders"]["data"]
    tasks = w["tasks"]["data"]
    contacts = [c for c in w["contacts"]["data"] if c.get("type") == "Person"]
    fields = w["customfields"]["data"]

    def field(cid, title, ftype, settings=None):
        fields.append({"id": cid, "accountId": acct, "title": title, "type": ftype, "sharedIds": [], "sharing": {},
                       "settings": settings or {"inheritanceType": "All", "applicableEntityTypes": ["WorkItem"]}})
        return cid

    cascade_id = field(acct + "JUCSCDID", "Cascade ID", "Text")
    kpi_actual = field(acct + "JUKPIACT", "KPI Actual", "Numeric", {"decimalPlaces": 0})
    kpi_target = field(acct + "JUKPITGT", "KPI Target", "Numeric", {"decimalPlaces": 0})

    def set_cf(item, cid, value):
        cfs = item.setdefault("customFields", [])
        cfs[:] = [c for c in cfs if c["id"] != cid] + [{"id": cid, "value": value}]

    by_id = {f["id"]: f for f in folders}
    space_ids = [s["id"] for s in spaces]

    def space_of(fid):
        seen = 0
        while fid not in space_ids and seen < 50:
            parents = by_id.get(fid, {}).get("parentIds", [])
            if not parents:
                return None
            fid = parents[0]
            seen += 1
        return fid

    projects = [f for f in folders if "project" in f]
    first_space = [p for p in projects if space_of(p["id"]) == space_ids[0]]
    p1, p2 = first_space[0], first_space[1]

    # Cascade Classic: users and roles for the first 8 people; one focus area per space.
    users, roles, directory = [], [], {}
    for i, c in enumerate(contacts[:8]):
        email = c.get("primaryEmail") or c["profiles"][0]["email"]
        users.append({"id": i + 1, "name": f'{c.get("firstName", "")} {c.get("lastName", "")}'.strip(), "email": email})
        roles.append({"id": 101 + i, "name": c.get("title") or "Team member", "user_id": i + 1})
        directory[email] = {"role": 101 + i}
    focus_areas = [{"id": 11 + i, "name": s["title"]} for i, s in enumerate(spaces)]

    def split(title):
        verb, _, rest = title.partition(" ")
        return (verb, rest) if rest and len(verb) <= 25 else ("Deliver", title)

    # Goal 5001 matches p1 (same title, right focus area); goal 5002 was made from p2 before it
    # was renamed, and sits under the second space's focus area (a move).
    role_of_contact = {c["id"]: 101 + i for i, c in enumerate(contacts[:8])}

    def owner_role(ids, default):
        for cid in ids or []:
            if cid in role_of_contact:
                return role_of_contact[cid]
        return default

    def text(desc):  # what the SDK's HTML reduction gives for the emulator's one-paragraph bodies
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", desc or "")).split()) or None

    a1, d1 = split(p1["title"])
    a2, _ = split(p2["title"])
    pi1, pi2 = p1["project"], p2["project"]
    goals = [
        {"id": 5001, "role_id": owner_role(pi1.get("ownerIds"), 101), "creator_id": 1, "status": "APPRO", "action": a1, "details": d1,
         "start_time": pi1.get("startDate", "2025-01-01"), "end_time": pi1.get("endDate", "2025-12-31"),
         "weight_id": 3, "is_private": 0, "tracking_type": "TASKS", "direct_focus_area_ids": [11], "aligned_to_ids": [],
         "custom_attributes": {}},
        {"id": 5002, "role_id": 102, "creator_id": 1, "status": "DRAFT", "action": a2, "details": "(old title)",
         "start_time": pi2.get("startDate", "2025-01-01"), "end_time": pi2.get("endDate", "2025-12-31"),
         "weight_id": 3, "is_private": 0, "tracking_type": "TASKS", "direct_focus_area_ids": [12], "aligned_to_ids": [],
         "custom_attributes": {}},
    ]
    set_cf(p1, cascade_id, "5001")
    set_cf(p2, cascade_id, "https://acme.executestrategy.net/goals/5002")  # a URL works too

    # Two of p1's top-level tasks are already in Cascade as tasks 60001 and 60002.
    p1_tasks = [t for t in tasks if p1["id"] in t.get("parentIds", []) and not t.get("superTaskIds")]
    ctasks = []
    for n, t in enumerate(p1_tasks[:2]):
        cid = 60001 + n
        set_cf(t, cascade_id, str(cid))
        d = t.get("dates", {})
        # Task 60001 matches its Wrike task; 60002 was renamed and has no description yet.
        ctasks.append({"id": cid, "task": t["title"] if n == 0 else t["title"] + " (draft)",
                       "comment": text(t.get("description")) if n == 0 else None,
                       "is_complete": 1 if t.get("status") == "Completed" else 0, "user_id": 1,
                       "role_id": owner_role(t.get("responsibleIds"), 101),
                       "goal_id": 5001, "start_date": d.get("start", "")[:10] or None,
                       "due_date": d.get("due", "")[:10] or None, "weight_id": 3, "custom_attributes": {}})

    # KPIs: two tasks of p2 carry measure values, so they map to measures, not actions.
    p2_tasks = [t for t in tasks if p2["id"] in t.get("parentIds", []) and not t.get("superTaskIds")]
    for n, t in enumerate(p2_tasks[:2]):
        set_cf(t, kpi_actual, str(40 + 15 * n))
        set_cf(t, kpi_target, "100")

    # The new platform: one workspace, one plan, two actions and a measure linked by table.
    ws, plan = "org_demo0000000001", "plan-demo-fy26"
    platform = {
        "workspaces": [{"id": ws, "displayName": "Acme Strategy"}],
        "plans": [{"id": plan, "name": "FY26 Company Plan", "workspaceId": ws, "owner": users[0]["name"],
                   "collaborators": [], "team": "Leadership"}],
        "measures": [{"id": "measure-kpi-1", "name": "Activation rate", "workspaceId": ws, "planId": plan,
                      "currentValue": 0, "historicalData": []}],
        "actions": [{"id": f"action-{n + 1}", "name": t["title"], "workspaceId": ws, "planId": plan, "progress": 0}
                    for n, t in enumerate(p1_tasks[:2])],
    }
    cascade = {"users": users, "roles": roles, "focus_areas": focus_areas, "goals": goals, "tasks": ctasks,
               "issues": [], "updates": [], **platform}
    json.dump(w, open(f"{out}/wrike.json", "w"))
    json.dump(cascade, open(f"{out}/cascade.json", "w"), indent=1)

    placement = {s["id"]: {"focus_area": 11 + i} for i, s in enumerate(spaces)}
    classic = {
        "wrike": {"spaces": space_ids, "cascade_id_field": "Cascade ID"},
        "cascade": {"target": "classic"},
        "placement": {"spaces": placement},
        "objectives": {"custom_fields": {"Budget": "CA1573011281053", "Impact": "CA1573011281054"}},
        "actions": {"description": "text", "subtasks": "checks", "custom_fields": {"Story Points": "CA1573011281060"}},
        "status": {"tasks": {"custom": {"In Review": {"progress": 80}}}},
        "measures": [
            {"from": "tasks", "value_field": "KPI Actual", "target_field": "KPI Target", "initial": 0,
             "direction": "up"},
        ],
        "owners": {"directory": directory},
    }
    header = ("// Generated by scripts/demo_seed.py for the demo: Wrike emulator -> Cascade Classic emulator.\n"
              "// See examples/mapping.jsonc for every option, commented.\n")
    open(f"{out}/classic.jsonc", "w").write(header + json.dumps(classic, indent=2) + "\n")
    platform_cfg = {
        "wrike": {"projects": [p1["id"], p2["id"]]},
        "cascade": {"target": "platform", "workspace": ws, "plan": plan},
        "status": {"tasks": {"Active": {"progress": 10}, "custom": {"In Progress": {"progress": 50}}}},
        "measures": [{"from": "tasks", "value_field": "KPI Actual", "target_field": "KPI Target"}],
        "links": {**{t["id"]: f"action-{n + 1}" for n, t in enumerate(p1_tasks[:2])},
                  p2_tasks[0]["id"]: "measure-kpi-1"},
    }
    header = ("// Generated by scripts/demo_seed.py: Wrike emulator -> the new platform's emulator.\n"
              "// The platform API only updates existing actions and measures, so items are linked by table.\n")
    open(f"{out}/platform.jsonc", "w").write(header + json.dumps(platform_cfg, indent=2) + "\n")


if __name__ == "__main__":
    main()
