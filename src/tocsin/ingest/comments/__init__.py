"""Reader comments split off pages: HTML threads, Disqus exports, text copies."""
