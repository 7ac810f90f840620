"""Developer tools that are not part of the installed product: the demo input generators and stress runs."""
