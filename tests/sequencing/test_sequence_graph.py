"""The HIP-0025 graph on its own: batches from annotations and Chart.yaml ordering, and its errors."""

from __future__ import annotations

import pytest

from pilothouse.manifest.sequence import ChartOrder, Doc, SequenceError, check, parse_list, plan, reverse


def doc(name: str, chart: str = "top", **ann: str) -> Doc:
    keys = {"group": "helm.sh/resource-group", "deps": "helm.sh/depends-on/resource-groups",
            "kapp_group": "kapp.k14s.io/change-group", "kapp_rule": "kapp.k14s.io/change-rule",
            "wave": "argocd.argoproj.io/sync-wave", "ok": "helm.sh/readiness-success",
            "fail": "helm.sh/readiness-failure"}
    return Doc(source=f"{chart}/templates/{name}.yaml", text=f"kind: ConfigMap\nmetadata:\n  name: {name}\n",
               kind="ConfigMap", name=name, annotations={keys[k]: v for k, v in ann.items()})


def names(batches) -> list[list[str]]:
    return [sorted(d.name for d in b.docs) for b in batches]


def test_hip_example_groups_in_dependency_order_then_ungrouped():
    # the HIP's example: app waits for database and queue; ungrouped objects come last
    docs = [doc("my-app", group="app", deps='["database", "queue"]'), doc("db-service", group="database"),
            doc("queue-processor", group="queue"), doc("plain")]
    assert names(plan(docs, {"top": ChartOrder("top")}, "top")) == [
        ["db-service", "queue-processor"], ["my-app"], ["plain"]]


def test_comma_separated_and_json_lists_are_the_same():
    assert parse_list('["a", "b"]', "x") == parse_list("a, b", "x") == ["a", "b"]
    with pytest.raises(SequenceError, match="names must be strings"):
        parse_list("[1]", "x")


def test_cycle_is_an_error_naming_the_cycle():
    docs = [doc("a", group="ga", deps="gb"), doc("b", group="gb", deps="gc"), doc("c", group="gc", deps="ga")]
    with pytest.raises(SequenceError, match=r"circular dependency: ga -> gb -> gc -> ga"):
        plan(docs, {"top": ChartOrder("top")}, "top")


def test_unknown_group_is_an_error_naming_the_object():
    with pytest.raises(SequenceError, match=r"top/templates/a.yaml: ConfigMap/a: depends on resource group 'nope'"):
        plan([doc("a", group="ga", deps="nope")], {"top": ChartOrder("top")}, "top")


def test_groups_do_not_reach_across_charts():
    orders = {"top": ChartOrder("top", children={"sub": "top/charts/sub"}, declared={"sub"}),
              "top/charts/sub": ChartOrder("top/charts/sub")}
    docs = [doc("a", group="db"), doc("b", chart="top/charts/sub", group="app", deps="db")]
    with pytest.raises(SequenceError, match="which no object of chart 'top/charts/sub' belongs to"):
        plan(docs, orders, "top")


def test_subchart_depends_on_and_parent_annotation():
    orders = {
        "top": ChartOrder("top", children={"db": "top/charts/db", "web": "top/charts/web", "cache": "top/charts/cache"},
                          declared={"db", "web", "cache"}, depends_on={"web": ["db", "cache"]},
                          self_depends_on=["web"]),
        "top/charts/db": ChartOrder("top/charts/db"), "top/charts/web": ChartOrder("top/charts/web"),
        "top/charts/cache": ChartOrder("top/charts/cache"),
    }
    docs = [doc("front"), doc("w", chart="top/charts/web"), doc("d1", chart="top/charts/db", group="schema"),
            doc("d2", chart="top/charts/db", group="server", deps="schema"), doc("c", chart="top/charts/cache")]
    # db's two groups run side by side with cache; web after both; the parent's own objects last
    assert names(plan(docs, orders, "top")) == [["c", "d1"], ["d2"], ["w"], ["front"]]


def test_disabled_subchart_in_depends_on_is_ignored_but_unknown_one_is_an_error():
    orders = {"top": ChartOrder("top", children={"web": "top/charts/web"}, declared={"web", "db"},
                                depends_on={"web": ["db"]}),
              "top/charts/web": ChartOrder("top/charts/web")}
    assert names(plan([doc("w", chart="top/charts/web"), doc("t")], orders, "top")) == [["t", "w"]]
    orders["top"].depends_on = {"web": ["dbx"]}
    with pytest.raises(SequenceError, match="depends on 'dbx', which is not a dependency of this chart"):
        plan([doc("w", chart="top/charts/web")], orders, "top")


def test_subchart_cycle():
    orders = {"top": ChartOrder("top", children={"a": "top/charts/a", "b": "top/charts/b"}, declared={"a", "b"},
                                depends_on={"a": ["b"], "b": ["a"]})}
    with pytest.raises(SequenceError, match="chart 'top' subcharts: circular dependency: a -> b -> a"):
        plan([], orders, "top")


def test_kapp_and_argocd_only_when_asked():
    docs = [doc("app", kapp_group="x/app", kapp_rule="upsert after upserting x/db"), doc("db", kapp_group="x/db")]
    assert names(plan(docs, {"top": ChartOrder("top")}, "top")) == [["app", "db"]]
    assert names(plan(docs, {"top": ChartOrder("top")}, "top", ["kapp"])) == [["db"], ["app"]]
    waves = [doc("late", wave="5"), doc("early", wave="-1"), doc("default")]
    assert names(plan(waves, {"top": ChartOrder("top")}, "top", ["argocd"])) == [["early"], ["default"], ["late"]]
    with pytest.raises(SequenceError, match="not an integer"):
        plan([doc("x", wave="soon")], {"top": ChartOrder("top")}, "top", ["argocd"])


def test_hip_annotations_win_over_other_tools():
    docs = [doc("a", group="g1", kapp_group="x/other"), doc("b", group="g2", deps="g1")]
    assert names(plan(docs, {"top": ChartOrder("top")}, "top", ["kapp"])) == [["a"], ["b"]]


def test_uninstall_order_is_the_reverse():
    docs = [doc("app", group="app", deps="db"), doc("db", group="db")]
    assert names(reverse(plan(docs, {"top": ChartOrder("top")}, "top"))) == [["app"], ["db"]]


def test_check_reports_half_given_readiness():
    problems = check([doc("a", ok='["{.ready} == true"]')], {"top": ChartOrder("top")}, "top")
    assert problems == ["top/templates/a.yaml: ConfigMap/a: helm.sh/readiness-success and helm.sh/readiness-failure "
                        "must be given together"]
