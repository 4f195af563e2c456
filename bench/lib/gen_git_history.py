#!/usr/bin/env python3
"""Writes a `git fast-import` stream of an evolving GitOps repository of Kubernetes manifests to stdout: image
bumps, replica and config changes, feature branches merged back (some also kept under refs/pull/*), new apps, and
app folders copied into archive/ (the same blobs under new paths).

Usage: gen_git_history.py [COMMITS] [APPS]. Deterministic (fixed seed and dates). Values that look like credentials
are clearly fake placeholders: this repository measures reading speed, not detection.
"""
import random
import sys

COMMITS = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
APPS = int(sys.argv[2]) if len(sys.argv) > 2 else 40
ENVS = ["dev", "staging", "prod"]
rng = random.Random(42)
out = sys.stdout.buffer


def deployment(app, env, s):
    env_lines = "".join(
        f"            - name: {k}\n              value: \"{v}\"\n" for k, v in sorted(s["env"].items()))
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}
  namespace: {env}
  labels:
    app.kubernetes.io/name: {app}
    app.kubernetes.io/part-of: platform
    app.kubernetes.io/version: "{s['version']}"
spec:
  replicas: {s['replicas']}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app.kubernetes.io/name: {app}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {app}
      annotations:
        checksum/config: "{s['checksum']:016x}"
    spec:
      serviceAccountName: {app}
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
      containers:
        - name: {app}
          image: registry.example.invalid/platform/{app}:{s['version']}
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: {s['port']}
          env:
{env_lines}          resources:
            requests:
              cpu: {s['cpu']}m
              memory: {s['mem']}Mi
            limits:
              cpu: {s['cpu'] * 2}m
              memory: {s['mem'] * 2}Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
          livenessProbe:
            httpGet:
              path: /livez
              port: http
            initialDelaySeconds: 15
"""


def service(app, env, s):
    return f"""apiVersion: v1
kind: Service
metadata:
  name: {app}
  namespace: {env}
spec:
  selector:
    app.kubernetes.io/name: {app}
  ports:
    - name: http
      port: 80
      targetPort: {s['port']}
"""


def configmap(app, env, s):
    data = "".join(f"  {k}: \"{v}\"\n" for k, v in sorted(s["config"].items()))
    return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {app}-config
  namespace: {env}
data:
{data}"""


def ingress(app, env, s):
    return f"""apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {app}
  namespace: {env}
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  ingressClassName: nginx
  rules:
    - host: {app}.{env}.example.invalid
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {app}
                port:
                  name: http
"""


def kustomization(app, env, s):
    return f"""apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: {env}
resources:
  - deployment.yaml
  - service.yaml
  - configmap.yaml
  - ingress.yaml
images:
  - name: registry.example.invalid/platform/{app}
    newTag: "{s['version']}"
"""


KINDS = {"deployment.yaml": deployment, "service.yaml": service, "configmap.yaml": configmap,
         "ingress.yaml": ingress, "kustomization.yaml": kustomization}


def new_state(app):
    return {
        "version": f"1.{rng.randint(0, 9)}.{rng.randint(0, 20)}", "replicas": rng.randint(1, 4),
        "checksum": rng.getrandbits(64), "port": rng.choice([8080, 8000, 3000, 9090]),
        "cpu": rng.choice([50, 100, 250, 500]), "mem": rng.choice([64, 128, 256, 512]),
        "env": {f"{app.upper().replace('-', '_')}_{k}": f"value-{rng.randint(0, 999)}" for k in
                ["LOG_LEVEL", "MODE", "REGION", "FEATURE_X", "TIMEOUT"]},
        "config": {f"key{i}": f"setting-{rng.randint(0, 99999)}" for i in range(rng.randint(5, 30))},
    }


apps = [f"svc-{i:03d}" for i in range(APPS)]
state = {(a, e): new_state(a) for a in apps for e in ENVS}


def mutate(s):
    r = rng.random()
    if r < 0.35:
        major, minor, patch = s["version"].split(".")
        s["version"] = f"{major}.{minor}.{int(patch) + 1}"
    elif r < 0.5:
        s["replicas"] = rng.randint(1, 8)
    elif r < 0.8:
        key = rng.choice(sorted(s["config"]))
        s["config"][key] = f"setting-{rng.randint(0, 99999)}"
        s["checksum"] = rng.getrandbits(64)
    elif r < 0.9:
        key = rng.choice(sorted(s["env"]))
        s["env"][key] = f"value-{rng.randint(0, 999)}"
    else:
        s["cpu"] = rng.choice([50, 100, 250, 500, 1000])


def files_for(app, env):
    s = state[(app, env)]
    return {f"clusters/{env}/apps/{app}/{name}": fn(app, env, s) for name, fn in KINDS.items()}


def emit_data(text):
    data = text.encode()
    out.write(b"data %d\n" % len(data))
    out.write(data)
    out.write(b"\n")


mark = 0
time = 1_700_000_000
main_head = None


def commit(ref, message, changes, parents):
    global mark, time
    mark += 1
    time += rng.randint(60, 7200)
    out.write(f"commit {ref}\nmark :{mark}\n".encode())
    out.write(f"author Dev {mark % 17} <dev{mark % 17}@example.invalid> {time} +0000\n".encode())
    out.write(f"committer Dev {mark % 17} <dev{mark % 17}@example.invalid> {time} +0000\n".encode())
    emit_data(message)
    if parents:
        out.write(f"from :{parents[0]}\n".encode())
        for p in parents[1:]:
            out.write(f"merge :{p}\n".encode())
    for path, text in changes:
        if text is None:
            out.write(f"D {path}\n".encode())
        elif isinstance(text, tuple):
            out.write(f"C {text[1]} {path}\n".encode())
        else:
            out.write(f"M 100644 inline {path}\n".encode())
            emit_data(text)
    out.write(b"\n")
    return mark


initial = [("README.md", "# platform GitOps repository (generated for benchmarks)\n")]
for a in apps:
    for e in ENVS:
        initial += sorted(files_for(a, e).items())
main_head = commit("refs/heads/main", "initial import\n", initial, [])

count = 1
feature = 0
while count < COMMITS:
    if rng.random() < 0.03 and count + 4 < COMMITS:
        feature += 1
        ref = f"refs/heads/feature/{feature}"
        head = main_head
        for _ in range(3):
            a, e = rng.choice(apps), rng.choice(ENVS)
            mutate(state[(a, e)])
            head = commit(ref, f"feature {feature}: tune {a} in {e}\n", sorted(files_for(a, e).items()), [head])
            count += 1
        main_head = commit("refs/heads/main", f"Merge feature {feature}\n", [], [main_head, head])
        count += 1
        if feature % 4 == 0:
            out.write(f"reset refs/pull/{feature}/head\nfrom :{head}\n\n".encode())
        continue
    changes = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        a, e = rng.choice(apps), rng.choice(ENVS)
        before = files_for(a, e)
        mutate(state[(a, e)])
        changes += [(p, t) for p, t in sorted(files_for(a, e).items()) if before.get(p) != t]
    if rng.random() < 0.005:
        a, e = rng.choice(apps), rng.choice(ENVS)
        changes.append((f"archive/{e}/{a}-{count}", ("copy", f"clusters/{e}/apps/{a}")))
    if rng.random() < 0.01:
        a = f"svc-{len(apps):03d}"
        apps.append(a)
        for e in ENVS:
            state[(a, e)] = new_state(a)
            changes += sorted(files_for(a, e).items())
    main_head = commit("refs/heads/main", f"chore: update {len(changes)} manifests\n", changes, [main_head])
    count += 1
