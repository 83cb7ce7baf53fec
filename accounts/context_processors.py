from accounts.rules import role_of


def roles(request):
    """The current user's role, for the navigation."""
    return {"role": role_of(request.user)}
