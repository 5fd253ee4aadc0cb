"""Comment sections: what readers write under an article, measured (issue 8).

``classify.classify_texts`` scores toxicity, hate (with the groups aimed at) and
incitement per comment.
"""
