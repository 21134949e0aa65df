import type { CommandName } from './command-line.js';

const GENERAL = `Usage: switchyard <command> [flags]

An edge router for Kubernetes Ingress objects and Gateway API Gateways and HTTPRoutes.

Commands:
  serve     serve Ingresses and Gateways from manifest files (reloaded on change) or a cluster
  check     report every problem in manifest files; exit 1 on errors
  explain   show which rule a request matches, why, and where it goes

Run "switchyard <command> --help" for the flags of a command.
Exit status: 0 ok, 1 failure (errors found, gateway could not start), 2 bad command line.`;

const SERVE = `Usage: switchyard serve -f FILE|DIR... [flags]
       switchyard serve --kubernetes [--kubeconfig FILE] [--namespace NS]... [flags]

Serves the Ingress, IngressClass, Service, EndpointSlice and Secret objects in the files
(.yaml, .yml, .json; multi-document; kind: List), reloading when they change, or those of a
live cluster. The Gateways of a GatewayClass are served too: from files those of
--gateway-class; with --kubernetes always, those of every GatewayClass whose controllerName is
--controller-name (a cluster without the Gateway API CRDs serves Ingresses and says so). Each
Gateway listener port gets its own address (plain HTTP, or HTTPS with SNI from the listeners'
certificateRefs); a change that adds or removes a port is reported and needs a restart. With
--lease, the replica holding the Lease writes the Gateway API status back to the cluster.
SIGTERM or SIGINT drains requests in flight (and releases a held Lease) and exits 0.

Flags:
  -f, --file PATH          manifest file or directory (repeat for more)
      --kubernetes         read the cluster instead of files (ready after the first full sync)
      --kubeconfig FILE    kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, in-cluster)
      --namespace NS       only this namespace (repeat for more; default: all)
      --controller-name NAME
                           with --kubernetes: the GatewayClasses whose spec.controllerName is
                           NAME are ours (default switchyard.dev/gateway-controller)
      --lease NS/NAME      with --kubernetes: elect the one replica that writes Gateway API
                           status (GatewayClass, Gateway, HTTPRoute parents) with this
                           coordination.k8s.io/v1 Lease; without it no status is written
      --lease-identity ID  this replica's Lease holder identity (default: $POD_NAME, else the
                           host name; unique per replica)
      --lease-duration SECONDS
                           whole seconds a Lease stays held after its last renewal (default 15)
      --lease-renew-deadline SECONDS
                           the leader stops writing when it could not renew for this long
                           (default 10; less than --lease-duration)
      --lease-retry-period SECONDS
                           between tries to take or renew the Lease (default 2)
      --gateway-address ADDR
                           the Gateways' status.addresses: an IP (IPAddress) or a host name
                           (Hostname); repeat for more
      --publish-service NS/NAME
                           the Gateways' status.addresses from this Service of type
                           LoadBalancer (status.loadBalancer.ingress); not with --gateway-address
      --ingress-class NAME serve only Ingresses of this class (default: all)
      --gateway-class NAME serve the Gateways of this GatewayClass and their HTTPRoutes (files:
                           without it, Gateway API objects are not served; --kubernetes: only
                           this one of the controller's classes)
      --gateway NS/NAME    only this Gateway of the class (repeat for more)
      --bind PORT=HOST:PORT
                           where Gateway listener port PORT listens (repeat for more; default:
                           PORT itself on all addresses; below 1024 a --bind is required: from
                           files it is a usage error, from a cluster the port is not listened on
                           and /readyz lists it under gateway.notListened)
      --listen HOST:PORT   plain HTTP for Ingresses (default 127.0.0.1:8080; PORT or :PORT
                           alone: all addresses)
      --h2c                the Ingress listener (--listen) also takes HTTP/2 with prior
                           knowledge next to HTTP/1.1 (behind a load balancer that ends TLS);
                           plain Gateway listener ports always do, HTTPS listeners negotiate
                           h2 by ALPN
      --tls-listen HOST:PORT
                           HTTPS with SNI from the Secrets named by spec.tls
      --tls-cert FILE      PEM certificate served for names no Secret covers (with --tls-key)
      --tls-key FILE       its PEM private key
      --public-https-port N
                           the HTTPS port clients reach, for the HTTP->HTTPS redirect
                           (a load balancer's 443 in front of --tls-listen; default: its port)
      --https-redirect CODE
                           status of the HTTP->HTTPS redirect for TLS hosts: 308 (default),
                           301, 302, 307, or off
      --balancer [BACKEND=]POLICY
                           round-robin (default), least-request, hash:header:NAME,
                           hash:cookie:NAME or hash:client-address; for every backend, or for
                           one (namespace/service:port); repeat for more
      --admin HOST:PORT    /healthz /readyz /metrics /routes /explain (default 127.0.0.1:9901);
                           with --kubernetes /readyz shows gatewayApi, statusWriteBack, gateway
      --no-admin           no admin listener
      --dns-servers LIST   DNS servers for ExternalName Services: IP[:PORT],... (default: system)
      --allow-external-name PATTERN
                           resolve ExternalName Services whose spec.externalName matches: a name,
                           *.DOMAIN (names under it) or * (all); repeat for more. Off by default
                           (503 SWY_PROXY_EXTERNAL_NAME_DENIED); link-local addresses
                           (169.254.0.0/16, fe80::/10) are never connected to
      --request-body-timeout SECONDS
                           a request body silent this long is answered 408 and its upstream
                           connection freed (default 10)
      --workers N          N processes on the same ports (node:cluster; default 1)
      --access-log WHERE   the gateway's JSON log, a line per request: stdout (default),
                           stderr, off, or a FILE appended to (by every worker); buffered,
                           written out on SIGTERM/SIGINT and on exit
      --log-level LEVEL    fatal, error, warn, info (default), debug, trace or silent; request
                           lines are info: above it they are dropped as with --access-log off
  -h, --help               this help`;

const CHECK = `Usage: switchyard check -f FILE|DIR... [--strict] [--json] [--ingress-class NAME]
                       [--gateway-class NAME [--gateway NS/NAME]...]

Loads and compiles the manifests as serve would and prints every diagnostic: file, document,
object, field and message; with --gateway-class, the status of each GatewayClass, Gateway,
listener and HTTPRoute parent too (Accepted, Programmed, ResolvedRefs, ... with reasons).
Exit 1 when there are errors (with --strict, warnings too), else 0.

Flags:
  -f, --file PATH          manifest file or directory (repeat for more)
      --ingress-class NAME check as the router of this class
      --gateway-class NAME serve the Gateways of this GatewayClass and their HTTPRoutes
                           (without it, Gateway API objects in the files are not served)
      --gateway NS/NAME    only this Gateway of the class (repeat for more)
      --allow-external-name PATTERN
                           ExternalName Services serve would resolve (as serve takes it); the
                           others are a warning on their spec.externalName
      --strict             warnings fail the check too
      --json               print the diagnostics as JSON
  -h, --help               this help`;

const EXPLAIN = `Usage: switchyard explain -f FILE|DIR... --host HOST --path PATH [--json] [--ingress-class NAME]
       switchyard explain -f FILE|DIR... --gateway-class NAME --port PORT --host HOST --path PATH
                          [--method M] [--header NAME=VALUE]... [--json]
       switchyard explain -f FILE|DIR... --gateway-class NAME --port PORT --host HOST
                          --grpc-service SERVICE --grpc-method METHOD [--header NAME=VALUE]...

Shows which rule a request matches: every candidate in precedence order with why it won, lost
or did not match, and the winner's endpoints from the Services and EndpointSlices in the files.
With --port, the request arrives on that Gateway listener port: the listener the Host selects,
every HTTPRoute and GRPCRoute match of it in precedence order (and the field a non-match
failed on), the winning rule's filters, weighted backends and timeouts. A gRPC call (POST with
content-type application/grpc) is asked about with --grpc-service and --grpc-method, or with
--grpc and --path /pkg.Service/Method.

Flags:
  -f, --file PATH          manifest file or directory (repeat for more)
      --host HOST          the request's Host
      --path PATH          the request's path (a query counts for HTTPRoute query matches only)
      --ingress-class NAME explain as the router of this class
      --gateway-class NAME serve the Gateways of this GatewayClass and their HTTPRoutes
                           (without it, Gateway API objects in the files are not served)
      --gateway NS/NAME    only this Gateway of the class (repeat for more)
      --port PORT          a Gateway listener port: explain the Gateway API path
      --method METHOD      the request method (with --port; default GET)
      --header NAME=VALUE  a request header (with --port; repeat for more)
      --grpc-service NAME  a gRPC call to this service (with --port and --grpc-method)
      --grpc-method NAME   ... and this method: the path /SERVICE/METHOD
      --grpc               the request (--path) is a gRPC call (with --port)
      --allow-external-name PATTERN
                           ExternalName Services serve would resolve (as serve takes it); the
                           winner's endpoints of another say SWY_DISCOVERY_EXTERNAL_NAME_DENIED
      --json               print the explanation as JSON
  -h, --help               this help`;

/** The help text of a command, or the general one. */
export function usage(topic: CommandName | undefined): string {
  switch (topic) {
    case 'serve':
      return SERVE;
    case 'check':
      return CHECK;
    case 'explain':
      return EXPLAIN;
    case undefined:
      return GENERAL;
  }
}
