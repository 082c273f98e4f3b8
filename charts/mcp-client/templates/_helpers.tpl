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

{{/*
Labels of every object. The version label is the chart's appVersion, not the image tag, so
that `--set image.tag=...` changes the image and nothing else.
*/}}
{{- define "mcp-client.labels" -}}
{{ include "mcp-client.selectorLabels" . }}
app.kubernetes.io/component: client
{{ include "mcp-client.commonLabels" . }}
{{- end }}

{{/* Labels shared by the app's objects and the helm test pod. */}}
{{- define "mcp-client.commonLabels" -}}
helm.sh/chart: {{ include "mcp-client.chart" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
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

{{/* The app's image reference; the tag defaults to the chart's appVersion. */}}
{{- define "mcp-client.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Port the container listens on (PORT); the Service maps service.port to it. */}}
{{- define "mcp-client.containerPort" -}}
8000
{{- end }}

{{/*
Label that lets a pod past the NetworkPolicy without matching networkPolicy.allowedPodLabels
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
Checks across values that a JSON schema cannot express; called from the Deployment.
*/}}
{{- define "mcp-client.validateValues" -}}
{{- if and .Values.autoscaling.enabled (gt (.Values.autoscaling.minReplicas | int) (.Values.autoscaling.maxReplicas | int)) }}
{{- fail (printf "autoscaling.minReplicas (%d) must not exceed autoscaling.maxReplicas (%d)" (.Values.autoscaling.minReplicas | int) (.Values.autoscaling.maxReplicas | int)) }}
{{- end }}
{{- if and .Values.autoscaling.enabled (not (dig "requests" "cpu" "" (.Values.resources | default dict))) }}
{{- fail "autoscaling.enabled needs resources.requests.cpu: the HPA's CPU target is a percentage of it" }}
{{- end }}
{{- $drainSeconds := 30 }}
{{- if le (.Values.terminationGracePeriodSeconds | int) (add (.Values.preStopSleepSeconds | int) $drainSeconds | int) }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed preStopSleepSeconds (%d) plus the app's %d s drain time" (.Values.terminationGracePeriodSeconds | int) (.Values.preStopSleepSeconds | int) $drainSeconds) }}
{{- end }}
{{- end }}
