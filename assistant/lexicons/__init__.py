"""Language data the profiler reads: column cues, value vocabularies, funnel step aliases."""
