{{/*
Names and labels of every object in the chart.
*/}}

{{/* Chart name, or nameOverride: the app.kubernetes.io/name label. */}}
{{- define "mcp-client.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of the objects. The release name alone when it already contains the chart name
(release mcp-client -> mcp-client, as the guide's federated credential subject expects),
otherwise <release>-<name>. DNS labels are limited to 63 characters.
*/}}
{{- define "mcp-client.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* helm.sh/chart label value. */}}
{{- define "mcp-client.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "mcp-client.labels" -}}
{{ include "mcp-client.selectorLabels" . }}
app.kubernetes.io/component: client
{{ include "mcp-client.commonLabels" . }}
{{- end }}

{{/* Labels shared by the app's objects and the helm test pod. */}}
{{- define "mcp-client.commonLabels" -}}
helm.sh/chart: {{ include "mcp-client.chart" . }}
app.kubernetes.io/version: {{ include "mcp-client.version" . | quote }}
app.kubernetes.io/part-of: mcp-platform
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Labels of the helm test pod: never the selector labels, or the Deployment's ReplicaSet would
adopt it and the Service would route to it.
*/}}
{{- define "mcp-client.testLabels" -}}
app.kubernetes.io/name: {{ include "mcp-client.name" . }}-test
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: test
{{ include "mcp-client.commonLabels" . }}
{{- end }}

{{/* Labels that select this release's pods. */}}
{{- define "mcp-client.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mcp-client.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Service account the pods run as. */}}
{{- define "mcp-client.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mcp-client.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
An image tag value as text. An all-digit tag is a number to Helm: int64 from --set, float64
from a values file, which would print as 2.0261207e+07; the schema admits integers only, so
"%.0f" gives back the digits. Empty (or absent) gives "".
*/}}
{{- define "mcp-client.tagText" -}}
{{- if kindIs "float64" . }}
{{- printf "%.0f" . }}
{{- else if not (kindIs "invalid" .) }}
{{- toString . }}
{{- end }}
{{- end }}

{{/* The app's image tag: image.tag, else the chart's appVersion. */}}
{{- define "mcp-client.imageTag" -}}
{{- include "mcp-client.tagText" .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/*
An image reference from a repository and a tag; a tag that is only a digest (sha256:... or
@sha256:...) is joined with "@".
*/}}
{{- define "mcp-client.imageReference" -}}
{{- $repository := index . 0 }}
{{- $tag := index . 1 }}
{{- if hasPrefix "@" $tag }}
{{- printf "%s%s" $repository $tag }}
{{- else if hasPrefix "sha256:" $tag }}
{{- printf "%s@%s" $repository $tag }}
{{- else }}
{{- printf "%s:%s" $repository $tag }}
{{- end }}
{{- end }}

{{/* The app's image reference. */}}
{{- define "mcp-client.image" -}}
{{- include "mcp-client.imageReference" (list .Values.image.repository (include "mcp-client.imageTag" .)) }}
{{- end }}

{{/*
The helm test pod's image: the app's own (it ships curl), unless tests.image overrides a part.
*/}}
{{- define "mcp-client.testImage" -}}
{{- $repository := .Values.tests.image.repository | default .Values.image.repository }}
{{- $tag := include "mcp-client.tagText" .Values.tests.image.tag | default (include "mcp-client.imageTag" .) }}
{{- include "mcp-client.imageReference" (list $repository $tag) }}
{{- end }}

{{/*
The app.kubernetes.io/version label: the image tag (so it follows `--set image.tag=...`), made
a valid label value: a digest after the tag dropped, other characters than [A-Za-z0-9._-]
replaced with "-", at most 63 characters, alphanumeric at both ends. The chart's appVersion
when nothing is left.
*/}}
{{- define "mcp-client.version" -}}
{{- $version := "" }}
{{- range list (include "mcp-client.imageTag" .) .Chart.AppVersion }}
{{- if not $version }}
{{- $value := regexReplaceAll "^(.+)@sha256:[a-f0-9]+$" . "${1}" }}
{{- $value = regexReplaceAll "[^A-Za-z0-9._-]+" $value "-" | trunc 63 }}
{{- $version = regexReplaceAll "^[^A-Za-z0-9]+|[^A-Za-z0-9]+$" $value "" }}
{{- end }}
{{- end }}
{{- $version }}
{{- end }}

{{/* Port the container listens on (PORT); the Service maps service.port to it. */}}
{{- define "mcp-client.containerPort" -}}
8000
{{- end }}

{{/*
Label that lets a pod past the NetworkPolicy whatever networkPolicy.allowSameNamespace says
(the helm test pod carries it).
*/}}
{{- define "mcp-client.clientLabel" -}}
{{ include "mcp-client.fullname" . }}-client
{{- end }}

{{/* Fewest pods that run: what decides whether a PodDisruptionBudget makes sense. */}}
{{- define "mcp-client.minReplicas" -}}
{{- if .Values.autoscaling.enabled }}
{{- .Values.autoscaling.minReplicas | int }}
{{- else }}
{{- .Values.replicaCount | int }}
{{- end }}
{{- end }}

{{/*
Labels of the Deployment's pods: the chart's labels, podLabels (which may replace the chart's
informational labels but not the selector labels nor azure.workload.identity/use: see
mcp-client.validateValues), and the workload identity label. A label, not an annotation: the
webhook's object selector matches on it.
*/}}
{{- define "mcp-client.podLabels" -}}
{{- $labels := include "mcp-client.labels" . | fromYaml }}
{{- $labels = mergeOverwrite $labels (deepCopy (.Values.podLabels | default dict)) }}
{{- $_ := set $labels "azure.workload.identity/use" "true" }}
{{- toYaml $labels }}
{{- end }}

{{/*
Annotations of the created service account: the workload identity ones from azure.* and
serviceAccount.annotations. The pods carry their checksum: the webhook reads them only when it
creates a pod.
*/}}
{{- define "mcp-client.serviceAccountAnnotations" -}}
{{- $annotations := dict }}
{{- with .Values.azure.clientId }}
{{- $_ := set $annotations "azure.workload.identity/client-id" . }}
{{- end }}
{{- with .Values.azure.tenantId }}
{{- $_ := set $annotations "azure.workload.identity/tenant-id" . }}
{{- end }}
{{- $annotations = merge $annotations .Values.serviceAccount.annotations }}
{{- with $annotations }}
{{- toYaml . }}
{{- end }}
{{- end }}

{{/*
The replica count of this release's Deployment as it runs now ("" when there is none, and
always under `helm template` or a client-side dry run, where lookup finds nothing).
*/}}
{{- define "mcp-client.liveReplicas" -}}
{{- $live := lookup "apps/v1" "Deployment" .Release.Namespace (include "mcp-client.fullname" .) }}
{{- dig "spec" "replicas" "" ($live | default dict) }}
{{- end }}

{{/*
The TCP port of an http(s) URL: its explicit port, else 443 for https and 80 for http.
*/}}
{{- define "mcp-client.urlPort" -}}
{{- $url := urlParse . }}
{{- $port := regexFind ":[0-9]+$" $url.host | trimPrefix ":" }}
{{- if $port }}
{{- $port | int }}
{{- else if eq $url.scheme "http" }}
{{- 80 }}
{{- else }}
{{- 443 }}
{{- end }}
{{- end }}

{{/*
The PodDisruptionBudget's one limit, as YAML: pdb.minAvailable or pdb.maxUnavailable, whichever
is set (mcp-client.validateValues refuses both), else maxUnavailable: 1.
*/}}
{{- define "mcp-client.pdbLimit" -}}
{{- $set := include "mcp-client.pdbSetLimits" . | fromYaml }}
{{- if $set }}
{{- toYaml $set }}
{{- else }}
{{- toYaml (dict "maxUnavailable" 1) }}
{{- end }}
{{- end }}

{{/* pdb.minAvailable and pdb.maxUnavailable as YAML, those that are set (not "" or null). */}}
{{- define "mcp-client.pdbSetLimits" -}}
{{- $set := dict }}
{{- range $key := list "minAvailable" "maxUnavailable" }}
{{- $value := index $.Values.pdb $key }}
{{- if not (or (kindIs "invalid" $value) (eq (toString $value) "")) }}
{{- $_ := set $set $key $value }}
{{- end }}
{{- end }}
{{- with $set }}
{{- toYaml . }}
{{- end }}
{{- end }}

{{/*
Host names the facade accepts (DNS-rebinding protection): localhost for port-forwarding and
kubectl exec, the Service's in-cluster names, the ingress hosts and app.allowedHosts.
*/}}
{{- define "mcp-client.allowedHosts" -}}
{{- $fullname := include "mcp-client.fullname" . }}
{{- $hosts := list "localhost" "127.0.0.1" "[::1]" $fullname }}
{{- $hosts = append $hosts (printf "%s.%s" $fullname .Release.Namespace) }}
{{- $hosts = append $hosts (printf "%s.%s.svc" $fullname .Release.Namespace) }}
{{- $hosts = append $hosts (printf "%s.%s.svc.cluster.local" $fullname .Release.Namespace) }}
{{- if .Values.ingress.enabled }}
{{- range .Values.ingress.hosts }}
{{- $hosts = append $hosts .host }}
{{- end }}
{{- end }}
{{- concat $hosts .Values.app.allowedHosts | uniq | join "," }}
{{- end }}
