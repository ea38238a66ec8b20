"""What it takes to publish the site: the reverse proxy's configuration (deploy/nginx.conf)
and its renderer (`deploy.nginx`), used by ``scripts/serve --proxy`` and the reliability
scenarios."""
