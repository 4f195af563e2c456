#!/usr/bin/env python3
"""Writes a `git fast-import` stream of a GitOps repository with a long history to stdout.

Usage: gen_gitops_history.py COMMITS [SEED] [--multidoc]
About 60 services, each with a Deployment, Service, ConfigMap, Helm values, kustomization and ExternalSecret;
every commit edits one to four manifests (image bumps, replicas, env, config keys), as a busy GitOps repository
does, and every 100th commit upgrades the vendored operator CRDs (six large schema files, a third of their fields
reworded), as GitOps repositories that vendor charts and CRDs do. Every 400th commit or so leaks a secret (a Secret with base64 data, a token in an env file, a Harbor
default, a kustomize literal); some leaks are removed again later. Secrets come from fixtures/tools/secretgen.py
at run time. Dates are fixed, so the same arguments give the same repository.

--multidoc: the other common layout. Each service has one multi-document file per environment
(apps/<service>/<env>/manifests.yaml: Deployment, Service, ConfigMap and ExternalSecret, ~3 KB) plus Helm values
per environment; a commit edits a few lines of one to three of them (image bumps promoted env by env, replicas,
env vars, config keys), so every changed blob is a larger file that differs from its previous version by a line or two.

--rendered: an environment repository of rendered Helm output (the "rendered manifests" pattern). As --multidoc,
but each apps/<service>/<env>/manifests.yaml also holds the rest of the rendered chart (RBAC, a PrometheusRule, a
NetworkPolicy, a Grafana dashboard ConfigMap), 20-100 KB per file, so every image bump or other edit by CI commits a
new 20-100 KB blob that differs from its previous version by a line.
"""
import base64
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "tools"))
import secretgen  # noqa: E402

TEAMS = ["orders", "payments", "search", "identity", "catalog", "billing", "shipping", "notify", "media", "ops"]


def deployment(svc, state):
    env = "\n".join("            - name: %s\n              value: \"%s\"" % (k, v) for k, v in sorted(state["env"].items()))
    return """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {svc}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {svc}
    app.kubernetes.io/part-of: {ns}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app.kubernetes.io/name: {svc}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {svc}
    spec:
      serviceAccountName: {svc}
      containers:
        - name: {svc}
          image: ghcr.io/example/{svc}:{tag}
          ports:
            - containerPort: 8080
          resources:
            requests: {{cpu: {cpu}m, memory: {mem}Mi}}
            limits: {{memory: {mem2}Mi}}
          env:
{env}
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {svc}-db
                  key: password
""".format(svc=svc, ns=state["ns"], replicas=state["replicas"], tag=state["tag"], cpu=state["cpu"],
           mem=state["mem"], mem2=state["mem"] * 2, env=env)


def configmap(svc, state):
    data = "\n".join("  %s: \"%s\"" % (k, v) for k, v in sorted(state["config"].items()))
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s-config\n  namespace: %s\ndata:\n%s\n" % (
        svc, state["ns"], data)


def service(svc, state):
    return ("apiVersion: v1\nkind: Service\nmetadata:\n  name: %s\n  namespace: %s\nspec:\n  selector:\n"
            "    app.kubernetes.io/name: %s\n  ports:\n    - port: 80\n      targetPort: 8080\n") % (svc, state["ns"], svc)


def values(svc, state):
    return ("replicaCount: %d\nimage:\n  repository: ghcr.io/example/%s\n  tag: \"%s\"\ningress:\n  enabled: true\n"
            "  hosts:\n    - host: %s.example.com\n      paths: [/]\npostgresql:\n  auth:\n    existingSecret: %s-db\n"
            "autoscaling:\n  enabled: %s\n  maxReplicas: %d\n") % (
        state["replicas"], svc, state["tag"], svc, svc, "true" if state["replicas"] > 2 else "false", state["replicas"] * 3)


def external_secret(svc, state):
    keys = "".join("    - secretKey: %s\n      remoteRef:\n        key: %s/%s\n        property: %s\n" % (k, state["ns"], svc, k)
                   for k in state["secret_keys"])
    return ("apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: %s-db\n  namespace: %s\n"
            "spec:\n  refreshInterval: 1h\n  secretStoreRef:\n    kind: ClusterSecretStore\n    name: vault\n"
            "  target:\n    name: %s-db\n  data:\n%s") % (svc, state["ns"], svc, keys)


def kustomization(svc, state):
    return ("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: %s\nresources:\n"
            "  - deployment.yaml\n  - service.yaml\n  - configmap.yaml\n  - external-secret.yaml\n") % state["ns"]


WORDS = ("the a an of to for in on with from by secret store provider key value reference name namespace field "
         "version refresh interval policy template data target creation deletion status condition ready sync "
         "controller resource kubernetes cluster service account token role binding label annotation selector "
         "spec specifies defines optional required default when if then must may should string object array").split()


def crd(name, release, rng, fields):
    """A vendored CustomResourceDefinition: an OpenAPI schema of `fields` properties with prose descriptions."""
    lines = ["apiVersion: apiextensions.k8s.io/v1", "kind: CustomResourceDefinition", "metadata:",
             "  name: %ss.example.io" % name, "  annotations:", "    vendored-release: %s" % release, "spec:",
             "  group: example.io", "  names:", "    kind: %s" % name.capitalize(), "    plural: %ss" % name,
             "  scope: Namespaced", "  versions:", "    - name: v1", "      served: true", "      storage: true",
             "      schema:", "        openAPIV3Schema:", "          type: object", "          properties:"]
    for field, (kind, words) in sorted(fields.items()):
        lines.append("            %s:" % field)
        lines.append("              description: %s" % " ".join(words))
        lines.append("              type: %s" % kind)
        if kind == "object":
            lines.append("              x-kubernetes-preserve-unknown-fields: true")
    return "\n".join(lines) + "\n"


def crd_fields(rng, count):
    return {"field%s%d" % (rng.choice(["Ref", "Spec", "Policy", "Status", "Target"]), i):
            (rng.choice(["string", "object", "integer", "boolean"]), [rng.choice(WORDS) for _ in range(rng.randint(8, 30))])
            for i in range(count)}


RENDER = {"deployment.yaml": deployment, "configmap.yaml": configmap, "service.yaml": service,
          "values.yaml": values, "external-secret.yaml": external_secret, "kustomization.yaml": kustomization}


class Stream:
    def __init__(self, out):
        self.out = out
        self.mark = 0

    def blob(self, text):
        data = text.encode()
        self.mark += 1
        self.out.write(b"blob\nmark :%d\ndata %d\n" % (self.mark, len(data)))
        self.out.write(data + b"\n")
        return self.mark

    def commit(self, n, when, author, message, changes, deletes):
        msg = message.encode()
        self.out.write(b"commit refs/heads/main\n")
        self.out.write(("author %s %d +0000\ncommitter %s %d +0000\n" % (author, when, author, when)).encode())
        self.out.write(b"data %d\n%s\n" % (len(msg), msg))
        for path, mark in changes:
            self.out.write(("M 100644 :%d %s\n" % (mark, path)).encode())
        for path in deletes:
            self.out.write(("D %s\n" % path).encode())


ENVS = ["dev", "staging", "prod"]


def manifests(svc, state):
    return "---\n".join(render(svc, state) for render in (deployment, service, configmap, external_secret))


def rendered_chart(svc, ns, rng, size):
    """The static rest of a rendered chart for one service and environment, about `size` bytes."""
    verbs = ["get", "list", "watch", "create", "update", "patch", "delete"]
    resources = ["pods", "services", "configmaps", "endpoints", "events", "deployments", "jobs", "leases"]
    parts = ["apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: %s\n  namespace: %s\nrules:\n%s"
             % (svc, ns, "".join("  - apiGroups: [\"\"]\n    resources: [%s]\n    verbs: [%s]\n"
                                 % (r, ", ".join(rng.sample(verbs, 3))) for r in resources)),
             "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: %s\n  namespace: %s\nspec:\n"
             "  podSelector:\n    matchLabels:\n      app.kubernetes.io/name: %s\n  ingress:\n    - from:\n"
             "        - namespaceSelector:\n            matchLabels:\n              name: ingress\n" % (svc, ns, svc)]
    rules = []
    n = 0
    while sum(map(len, rules)) < size * 0.4:
        n += 1
        rules.append("        - alert: %sHigh%s%d\n          expr: sum(rate(http_requests_total{job=\"%s\",code=~\"5..\"}[5m]))"
                     " / sum(rate(http_requests_total{job=\"%s\"}[5m])) > 0.0%d\n          for: %dm\n"
                     "          labels:\n            severity: %s\n          annotations:\n            summary: %s\n"
                     "            description: %s\n"
                     % (svc.title().replace("-", ""), rng.choice(["Errors", "Latency", "Saturation"]), n, svc, svc,
                        rng.randint(1, 9), rng.choice([5, 10, 15]), rng.choice(["warning", "critical"]),
                        " ".join(rng.choice(WORDS) for _ in range(8)), " ".join(rng.choice(WORDS) for _ in range(24))))
    parts.append("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: %s\n  namespace: %s\n"
                 "spec:\n  groups:\n    - name: %s.rules\n      rules:\n%s" % (svc, ns, svc, "".join(rules)))
    panels = []
    while sum(map(len, panels)) < size * 0.6 - 400:
        i = len(panels)
        panels.append('      {"id": %d, "type": "timeseries", "title": "%s", "gridPos": {"h": 8, "w": 12, "x": %d, "y": %d}, '
                      '"targets": [{"expr": "histogram_quantile(0.%d, sum(rate(http_request_duration_seconds_bucket'
                      '{job=\\"%s\\"}[5m])) by (le))", "legendFormat": "%s"}]}'
                      % (i + 1, " ".join(rng.choice(WORDS) for _ in range(4)), (i % 2) * 12, (i // 2) * 8,
                         rng.choice([5, 9, 99]), svc, rng.choice(WORDS)))
    parts.append("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s-dashboard\n  namespace: %s\n  labels:\n"
                 "    grafana_dashboard: \"1\"\ndata:\n  %s.json: |\n    {\"title\": \"%s\", \"panels\": [\n%s\n    ]}\n"
                 % (svc, ns, svc, svc, ",\n".join(panels)))
    return "---\n".join(parts)


def rendered_manifests(svc, state):
    return manifests(svc, state) + "---\n" + state["chart"]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    rendered = "--rendered" in sys.argv[1:]
    multidoc = "--multidoc" in sys.argv[1:] or rendered
    chart_rng = random.Random(1009)
    commits = int(args[0])
    rng = random.Random(int(args[1]) if len(args) > 1 else 7)
    gen = secretgen.Generator(99)
    out = Stream(sys.stdout.buffer)
    authors = ["Alex Ops <alex@example.invalid>", "Sam Builder <sam@example.invalid>",
               "Robin Dev <robin@example.invalid>", "Kim SRE <kim@example.invalid>", "Renovate Bot <bot@example.invalid>"]
    services = {}
    for i in range(60):
        svc = "%s-%s" % (TEAMS[i % len(TEAMS)], ["api", "worker", "web", "cron", "gateway", "sync"][i // len(TEAMS)])
        for env in (ENVS if multidoc else [None]):
            key = "%s/%s" % (svc, env) if env else svc
            services[key] = {"ns": TEAMS[i % len(TEAMS)] + ("-" + env if env else ""), "replicas": 2, "tag": "1.0.0",
                             "cpu": 100, "mem": 128, "env": {"LOG_LEVEL": "info", "PORT": "8080"},
                             "config": {"feature.search": "off"}, "secret_keys": ["password"]}
            if rendered:
                services[key]["chart"] = rendered_chart(svc, services[key]["ns"], chart_rng,
                                                        chart_rng.randint(20_000, 100_000))
    layout = {"manifests.yaml": rendered_manifests if rendered else manifests, "values.yaml": values} if multidoc else RENDER

    def files_for(kind):
        if not multidoc:
            return kind
        return sorted({"values.yaml" if f == "values.yaml" else "manifests.yaml" for f in kind})
    when = 1_600_000_000
    leaks = []
    names = sorted(services)
    crds = {name: crd_fields(rng, 700) for name in ["externalsecret", "secretstore", "certificate", "issuer",
                                                    "prometheusrule", "servicemonitor"]}
    for n in range(commits):
        when += rng.randint(600, 7200)
        changes, deletes = [], []
        if n == 0:
            for svc in names:
                for file, render in layout.items():
                    changes.append(("apps/%s/%s" % (svc, file), out.blob(render(svc.split("/")[0], services[svc]))))
            for name, fields in crds.items():
                changes.append(("vendor/crds/%s.yaml" % name, out.blob(crd(name, "1.0.0", rng, fields))))
            out.commit(n, when, authors[0], "Initial import of %d services" % len(names), changes, deletes)
            continue
        if n % 397 == 0:
            kind = (n // 397) % 4
            svc = rng.choice(names)
            if kind == 0:
                path = "apps/%s/secret.yaml" % svc
                pw = base64.b64encode(gen.generate("password").encode()).decode()
                text = ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: %s-db\n  namespace: %s\ntype: Opaque\ndata:\n"
                        "  username: YXBw\n  password: %s\n") % (svc, services[svc]["ns"], pw)
            elif kind == 1:
                path = "ci/%s.env" % svc
                text = "REGISTRY=ghcr.io\nGITHUB_TOKEN=%s\n" % gen.generate("github-pat")
            elif kind == 2:
                path = "apps/%s/harbor-values.yaml" % svc
                text = "externalURL: https://harbor.example.com\nharborAdminPassword: %s\n" % secretgen.DEFAULTS["harbor"]
            else:
                path = "apps/%s/secrets-kustomization.yaml" % svc
                text = ("secretGenerator:\n  - name: %s-keys\n    literals:\n      - API_KEY=%s\n      - SLACK=%s\n" %
                        (svc, gen.generate("hex32"), gen.generate("slack-bot")))
            changes.append((path, out.blob(text)))
            leaks.append(path)
            out.commit(n, when, rng.choice(authors), "%s: quick fix" % svc, changes, deletes)
            continue
        if n % 100 == 50:
            release = "1.%d.0" % (n // 100)
            for name, fields in crds.items():
                for field in rng.sample(sorted(fields), len(fields) // 3):
                    fields[field] = (fields[field][0], [rng.choice(WORDS) for _ in range(rng.randint(8, 30))])
                changes.append(("vendor/crds/%s.yaml" % name, out.blob(crd(name, release, rng, fields))))
            out.commit(n, when, authors[4], "Upgrade vendored operator CRDs to %s" % release, changes, deletes)
            continue
        if leaks and n % 397 == 150 and rng.random() < 0.5:
            deletes.append(leaks.pop(0))
            out.commit(n, when, rng.choice(authors), "Remove leaked credentials", changes, deletes)
            continue
        touched = rng.sample(names, rng.randint(1, 3))
        for svc in touched:
            state = services[svc]
            roll = rng.random()
            if roll < 0.35:
                major, minor, patch = map(int, state["tag"].split("."))
                state["tag"] = "%d.%d.%d" % (major, minor + (patch > 8), 0 if patch > 8 else patch + 1)
                files = ["deployment.yaml", "values.yaml"]
                message = "%s: bump image to %s" % (svc, state["tag"])
            elif roll < 0.55:
                state["replicas"] = max(1, min(12, state["replicas"] + rng.choice([-1, 1])))
                files = ["deployment.yaml", "values.yaml"]
                message = "%s: scale to %d replicas" % (svc, state["replicas"])
            elif roll < 0.75:
                key = "feature.%s" % rng.choice(["search", "checkout", "beta", "cache", "audit", "export", "v2"])
                if len(state["config"]) > 30:
                    state["config"].pop(sorted(state["config"])[0])
                state["config"]["%s.%d" % (key, rng.randint(0, 40))] = rng.choice(["on", "off", "canary", "10%"])
                files = ["configmap.yaml"]
                message = "%s: toggle %s" % (svc, key)
            elif roll < 0.9:
                state["env"]["%s_%d" % (rng.choice(["TIMEOUT", "RETRIES", "POOL", "BATCH"]), rng.randint(0, 9))] = str(rng.randint(1, 5000))
                if len(state["env"]) > 16:
                    state["env"].pop(sorted(state["env"])[0])
                state["cpu"] = rng.choice([100, 200, 250, 500])
                state["mem"] = rng.choice([128, 256, 512, 1024])
                files = ["deployment.yaml"]
                message = "%s: tune resources and env" % svc
            else:
                key = rng.choice(["api-key", "smtp-password", "jwt-secret", "redis-password"])
                if key not in state["secret_keys"]:
                    state["secret_keys"].append(key)
                files = ["external-secret.yaml"]
                message = "%s: sync %s from Vault" % (svc, key)
            for file in files_for(files):
                changes.append(("apps/%s/%s" % (svc, file), out.blob(layout[file](svc.split("/")[0], state))))
        out.commit(n, when, rng.choice(authors), message if len(touched) == 1 else "Batch update (%d services)" % len(touched),
                   changes, deletes)


if __name__ == "__main__":
    main()
