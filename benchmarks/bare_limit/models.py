from django.db import models


class Response(models.Model):
    location = models.CharField(max_length=40)
    touchpoint = models.CharField(max_length=40, blank=True)
    submitted_at = models.DateTimeField()
    return_likelihood = models.SmallIntegerField(null=True)
    expectation = models.SmallIntegerField(null=True)
    comment = models.TextField(blank=True)


class Answer(models.Model):
    response = models.ForeignKey(Response, models.CASCADE)
    question = models.CharField(max_length=40)
    number = models.SmallIntegerField(null=True)
    text = models.TextField(blank=True)
    choices = models.JSONField(default=list)
