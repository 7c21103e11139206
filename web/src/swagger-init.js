// Swagger UI for /docs, served from the package (no CDN, no inline script: the page's CSP forbids both).
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
