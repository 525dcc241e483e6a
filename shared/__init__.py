"""The platform library every service uses and no service owns."""
